import { Global, Logger, Module } from '@nestjs/common';
import { londonDateOf, type BankHolidayCalendar } from '@placement/domain';
import type { Clock } from '@placement/event-store';
import { CLOCK } from '../store/store.module';
import { checkBankHolidayCoverage, loadBankHolidays } from './bank-holidays';

/** The England and Wales bank-holiday calendar every working-day count uses. */
export const BANK_HOLIDAYS = Symbol('BANK_HOLIDAYS');

@Global()
@Module({
  providers: [
    {
      provide: BANK_HOLIDAYS,
      inject: [CLOCK],
      useFactory: (clock: Clock): BankHolidayCalendar => {
        const calendar = loadBankHolidays();
        const coverage = checkBankHolidayCoverage(calendar, londonDateOf(clock.now()));
        // Said loudly at every start, but not a refusal: a council's placements must not stop over a
        // stale calendar. A count of working days that reaches an uncovered year still fails
        // (BANK_HOLIDAYS_NOT_KNOWN) rather than assuming that year has no bank holidays.
        if (!coverage.ok) new Logger('BankHolidays').error(coverage.error);
        else if (coverage.warning !== null) new Logger('BankHolidays').warn(coverage.warning);
        return calendar;
      },
    },
  ],
  exports: [BANK_HOLIDAYS],
})
export class CalendarModule {}
