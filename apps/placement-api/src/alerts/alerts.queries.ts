import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { BankHolidayCalendar } from '@placement/domain';
import {
  ALERT_RULES,
  readAlerts,
  type AlertFilter,
  type AlertItem,
  type AlertRule,
  type Page,
} from '@placement/projections';
import { BANK_HOLIDAYS } from '../calendar/calendar.module';
import type { Environment } from '../config/environment';
import { ENVIRONMENT } from '../config/tokens';
import { IdFilter, ListQuery, ListQueryDto, OneOfFilter } from '../http/pagination';
import { ProjectionsService } from '../projections/projections.service';

export class AlertsQueryDto extends ListQueryDto {
  @OneOfFilter(ALERT_RULES, 'Only the alerts of this rule (its stable code)')
  rule?: AlertRule;

  @IdFilter('Alerts about this home: its beds, and the children placed there')
  settingId?: string;

  @IdFilter('Alerts about this child')
  childId?: string;
}

export class ListAlertsQuery extends ListQuery<AlertFilter> {}

/** Reads the alerts on the injected clock's date and instant, counting working days with the bank holidays. */
@QueryHandler(ListAlertsQuery)
export class ListAlertsHandler implements IQueryHandler<ListAlertsQuery, Page<AlertItem>> {
  constructor(
    private readonly projections: ProjectionsService,
    @Inject(ENVIRONMENT) private readonly env: Environment,
    @Inject(BANK_HOLIDAYS) private readonly bankHolidays: BankHolidayCalendar,
  ) {}

  async execute({ filter, scope, page, minPosition }: ListAlertsQuery): Promise<Page<AlertItem>> {
    const { db, position, now, today } = await this.projections.readModel('alerts', minPosition);
    return readAlerts(
      db,
      position,
      {
        today,
        now,
        emergencyStay: {
          limitWorkingDays: this.env.EMERGENCY_STAY_LIMIT_WORKING_DAYS,
          bankHolidays: this.bankHolidays,
        },
        filter,
        scope,
      },
      page,
    );
  }
}
