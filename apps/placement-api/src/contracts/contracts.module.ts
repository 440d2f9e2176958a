import { Module } from '@nestjs/common';
import { ContractBlockBookingHandler, ContractBlockBookingRoute } from './contract-block-booking';
import { EndBlockBookingHandler, EndBlockBookingRoute } from './end-block-booking';

/** Block bookings with external providers: contracted, and ended early or on their date. */
@Module({
  controllers: [ContractBlockBookingRoute, EndBlockBookingRoute],
  providers: [ContractBlockBookingHandler, EndBlockBookingHandler],
})
export class ContractsModule {}
