import { Module } from '@nestjs/common';
import { ExportsController } from './exports.controller';
import { ExportSsda903Handler, Ssda903ReportHandler } from './exports.queries';

/** The SSDA903 return: GET /v1/exports/ssda903/{episodes,header}.csv and /report?year= (auditor, admin). */
@Module({
  controllers: [ExportsController],
  providers: [ExportSsda903Handler, Ssda903ReportHandler],
})
export class ExportsModule {}
