import { ValidateBy, type ValidationArguments } from 'class-validator';
import { daysBetween, isBusinessDate } from '@placement/domain';
import { IsBusinessDate } from '../http/dto-rules';

const MAX_SPAN_DAYS = 366;

/** A window of nights for a diary view (a week, a month): both dates included, at most a year. */
export class DiaryQueryDto {
  @IsBusinessDate()
  from!: string;

  @IsBusinessDate()
  @ValidateBy({
    name: 'onOrAfterFromWithinAYear',
    validator: {
      validate: (to: unknown, args?: ValidationArguments) => {
        const from = (args?.object as DiaryQueryDto | undefined)?.from;
        if (!isBusinessDate(to) || !isBusinessDate(from)) return true; // the date rules report these
        const span = daysBetween(from, to);
        return span >= 0 && span <= MAX_SPAN_DAYS;
      },
      defaultMessage: () => '$property must be on or after from, and at most a year after it',
    },
  })
  to!: string;
}
