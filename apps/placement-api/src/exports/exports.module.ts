import { Module } from '@nestjs/common';
import { ExportsController } from './exports.controller';
import { ExportSsda903Handler } from './exports.queries';

/** The SSDA903 return: GET /v1/exports/ssda903/{episodes,header}.csv?year= (auditor, admin). */
@Module({
  controllers: [ExportsController],
  providers: [ExportSsda903Handler],
})
export class ExportsModule {}
