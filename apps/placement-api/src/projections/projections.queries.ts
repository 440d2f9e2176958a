import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Clock } from '@placement/event-store';
import {
  londonDateOf,
  readSufficiencyTrends,
  readUtilisation,
  type CapacityFilter,
  type CapacityPage,
  type CapacityView,
  type KeyValue,
  type SufficiencyTrends,
  type UtilisationReport,
} from '@placement/projections';
import { CLOCK } from '../store/store.module';
import { ProjectionsService } from './projections.service';

/** Capacity on a night, every unit (the board's). */
export class GetCapacityQuery {
  constructor(
    readonly minPosition?: string,
    /** The night asked for; today (London) when omitted. */
    readonly on?: string,
  ) {}
}
/** One page of capacity on a night: the units the filter keeps after the key `after`, at most `limit`. */
export class GetCapacityPageQuery {
  constructor(
    readonly filter: CapacityFilter,
    readonly after: readonly KeyValue[] | null,
    readonly limit: number,
    readonly minPosition?: string,
    /** The night asked for; today (London) when omitted. */
    readonly on?: string,
  ) {}
}
export class GetUtilisationQuery {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly minPosition?: string,
  ) {}
}
export class GetSufficiencyTrendsQuery {
  constructor(
    readonly months: number,
    readonly minPosition?: string,
  ) {}
}

@QueryHandler(GetCapacityQuery)
export class GetCapacityHandler implements IQueryHandler<GetCapacityQuery, CapacityView> {
  constructor(private readonly projections: ProjectionsService) {}

  async execute({ minPosition, on }: GetCapacityQuery): Promise<CapacityView> {
    const position = await this.projections.readyPosition('capacity', minPosition);
    return this.projections.capacityNow(position, on);
  }
}

@QueryHandler(GetCapacityPageQuery)
export class GetCapacityPageHandler implements IQueryHandler<GetCapacityPageQuery, CapacityPage> {
  constructor(private readonly projections: ProjectionsService) {}

  async execute({ filter, after, limit, minPosition, on }: GetCapacityPageQuery) {
    const position = await this.projections.readyPosition('capacity', minPosition);
    return this.projections.capacityPage(position, { on, filter, after, limit });
  }
}

@QueryHandler(GetUtilisationQuery)
export class GetUtilisationHandler implements IQueryHandler<GetUtilisationQuery, UtilisationReport> {
  constructor(private readonly projections: ProjectionsService) {}

  async execute({ from, to, minPosition }: GetUtilisationQuery): Promise<UtilisationReport> {
    const position = await this.projections.readyPosition('block-booking-utilisation', minPosition);
    return readUtilisation(this.projections.readModels, position, from, to);
  }
}

@QueryHandler(GetSufficiencyTrendsQuery)
export class GetSufficiencyTrendsHandler implements IQueryHandler<GetSufficiencyTrendsQuery, SufficiencyTrends> {
  constructor(
    private readonly projections: ProjectionsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ months, minPosition }: GetSufficiencyTrendsQuery): Promise<SufficiencyTrends> {
    const position = await this.projections.readyPosition('sufficiency', minPosition);
    // Months are London months: the instant now becomes a London date first.
    return readSufficiencyTrends(this.projections.readModels, position, londonDateOf(this.clock.now()), months);
  }
}
