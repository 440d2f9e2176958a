import { Module } from '@nestjs/common';
import { CapacityProjection } from './capacity-projection';
import { MatchesController } from './matches.controller';
import { GetMatchesHandler, ProposeMatchesHandler } from './matches.handlers';
import { PlacementExclusions } from './placement-exclusions';

/** Every vacancy ranked or excluded with reasons for a referral, and the record of what the team saw. */
@Module({
  controllers: [MatchesController],
  providers: [CapacityProjection, PlacementExclusions, GetMatchesHandler, ProposeMatchesHandler],
  exports: [CapacityProjection, PlacementExclusions],
})
export class MatchingApiModule {}
