import { Module } from '@nestjs/common';
import { ProjectionsApiModule } from '../projections/projections.module';
import { AuditController } from './audit.controller';
import { GetBedAuditHandler, GetChildAuditHandler, GetReferralAuditHandler, VerifyLogHandler } from './audit.queries';

/** Replay any child's, referral's or bed's decision history as of an instant, and prove the log unaltered. */
@Module({
  imports: [ProjectionsApiModule],
  controllers: [AuditController],
  providers: [GetChildAuditHandler, GetReferralAuditHandler, GetBedAuditHandler, VerifyLogHandler],
})
export class AuditModule {}
