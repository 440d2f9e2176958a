import { Module } from '@nestjs/common';
import { CapacityProjection } from './capacity-projection';
import { MatchesController } from './matches.controller';
import { GetMatchesHandler, ProposeMatchesHandler } from './matches.handlers';

/** Every vacancy ranked or excluded with reasons for a referral, and the record of what the team saw (DESIGN §5, §7). */
@Module({
  controllers: [MatchesController],
  providers: [CapacityProjection, GetMatchesHandler, ProposeMatchesHandler],
  exports: [CapacityProjection],
})
export class MatchingApiModule {}
