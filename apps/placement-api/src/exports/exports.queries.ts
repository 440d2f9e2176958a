import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { EventStore } from '@placement/event-store';
import type { ExportedReturn } from '@placement/ssda903';
import { EVENT_STORE } from '../store/store.module';
import { exportSsda903 } from './ssda903-store';

/** The SSDA903 return for a collection year, derived from the log on each request. */
export class ExportSsda903Query {
  constructor(readonly year: number) {}
}

@QueryHandler(ExportSsda903Query)
export class ExportSsda903Handler implements IQueryHandler<ExportSsda903Query, ExportedReturn> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(query: ExportSsda903Query): Promise<ExportedReturn> {
    return exportSsda903(this.store, query.year);
  }
}
