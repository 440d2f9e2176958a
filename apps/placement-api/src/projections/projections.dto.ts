import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min, ValidateBy, type ValidationArguments } from 'class-validator';
import { daysBetween, isBusinessDate } from '@placement/domain';
import { IsBusinessDate } from '../http/dto-rules';

const MAX_SPAN_DAYS = 3 * 366;

export class ReadYourWritesDto {
  @ApiPropertyOptional({
    description: "Wait (up to 2 s) until the read model has applied this position (a command answer's `position`)",
    example: '42',
  })
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: '$property must be a position: digits only' })
  minPosition?: string;
}

export class UtilisationQueryDto extends ReadYourWritesDto {
  @IsBusinessDate()
  from!: string;

  @IsBusinessDate()
  @ValidateBy({
    name: 'onOrAfterFromWithinThreeYears',
    validator: {
      validate: (to: unknown, args?: ValidationArguments) => {
        const from = (args?.object as UtilisationQueryDto | undefined)?.from;
        if (!isBusinessDate(to) || !isBusinessDate(from)) return true; // the date rules report these
        const span = daysBetween(from, to);
        return span >= 0 && span <= MAX_SPAN_DAYS;
      },
      defaultMessage: () => '$property must be on or after from, and at most 3 years after it',
    },
  })
  to!: string;
}

export class TrendsQueryDto extends ReadYourWritesDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 36, default: 12 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(36)
  months?: number;
}
