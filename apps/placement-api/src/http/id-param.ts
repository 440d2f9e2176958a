import { Param, PipeTransform } from '@nestjs/common';
import { ID_PATTERN } from './dto-rules';
import { RequestValidationException } from './validation';

class IdPipe implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (!ID_PATTERN.test(value)) {
      throw new RequestValidationException([
        { field: this.name, rule: 'matches', message: `${this.name} must be 1–64 letters, digits, _ or -` },
      ]);
    }
    return value;
  }
}

/** A route id, checked against the same pattern as body ids (it becomes part of a stream name). */
export const IdParam = (name: string) => Param(name, new IdPipe(name));
