import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { EventStore } from '@placement/event-store';
import { checkReturn, type ExportedReturn, type RuleFailure } from '@placement/ssda903';
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

/** Who the year's files leave out and why, and the DfE's rules run on the files. */
export class Ssda903ReportQuery {
  constructor(readonly year: number) {}
}

export interface Ssda903Report {
  readonly year: number;
  readonly label: string;
  readonly episodes: number;
  readonly children: number;
  readonly excluded: ExportedReturn['excluded'];
  readonly warnings: readonly string[];
  readonly dfeRules: {
    readonly run: readonly { readonly code: string; readonly message: string }[];
    readonly failures: readonly RuleFailure[];
  };
}

export function reportOf(exported: ExportedReturn): Ssda903Report {
  const checked = checkReturn(exported, exported.year);
  return {
    year: exported.year,
    label: exported.label,
    episodes: exported.episodes,
    children: exported.children,
    excluded: exported.excluded,
    warnings: exported.warnings,
    dfeRules: { run: checked.rules.map(({ code, message }) => ({ code, message })), failures: checked.failures },
  };
}

@QueryHandler(Ssda903ReportQuery)
export class Ssda903ReportHandler implements IQueryHandler<Ssda903ReportQuery, Ssda903Report> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(query: Ssda903ReportQuery): Promise<Ssda903Report> {
    return reportOf(await exportSsda903(this.store, query.year));
  }
}
