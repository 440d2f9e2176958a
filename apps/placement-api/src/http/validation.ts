import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldViolation } from './problem';

export class RequestValidationException extends BadRequestException {
  constructor(readonly violations: FieldViolation[]) {
    super('The request body or query did not pass validation');
  }
}

/** Flattens class-validator's tree into `field` paths with the rule each broke. */
export function toViolations(errors: ValidationError[], parent = ''): FieldViolation[] {
  const out: FieldViolation[] = [];
  for (const error of errors) {
    const isIndex = /^\d+$/.test(error.property);
    const field = parent ? (isIndex ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    for (const [rule, message] of Object.entries(error.constraints ?? {})) {
      out.push({ field, rule, message });
    }
    if (error.children?.length) out.push(...toViolations(error.children, field));
  }
  return out;
}

/**
 * Nested DTO fields carry @IsNested, an @IsObject beside @ValidateNested (lists @IsArray too):
 * @ValidateNested alone validates an array's items, so `terms: []` passed and reached a handler.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationException(toViolations(errors)),
  });
}
