import { Global, Logger, Module } from '@nestjs/common';
import type { BankHolidayCalendar } from '@placement/domain';
import type { Clock } from '@placement/event-store';
import { londonDate } from '../http/london-date';
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
        const coverage = checkBankHolidayCoverage(calendar, londonDate(clock.now()));
        if (!coverage.ok) throw new Error(coverage.error);
        if (coverage.warning !== null) new Logger('BankHolidays').warn(coverage.warning);
        return calendar;
      },
    },
  ],
  exports: [BANK_HOLIDAYS],
})
export class CalendarModule {}
