import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { ExportedReturn } from '@placement/ssda903';
import type { Response } from 'express';
import { ChildRecordAccess } from '../access/child-record-access';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { Roles } from '../auth/roles';
import { Ssda903YearQueryDto } from './exports.dto';
import { ExportSsda903Query } from './exports.queries';

/**
 * The DfE SSDA903 return as CSV files. Auditors and admins only: the files carry children's dates
 * of birth and postcodes. Children left out (their events break an episode rule) are counted in
 * a response header; their ids and reasons are in the CLI's report, never in the file.
 */
@ApiTags('exports')
@ApiBearerAuth()
@Controller('v1/exports/ssda903')
export class ExportsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly access: ChildRecordAccess,
  ) {}

  @Get('episodes.csv')
  @Roles('auditor', 'admin')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'episodes.csv for the collection year (DfE columns, dd/mm/yyyy)' })
  async episodes(
    @Query() q: Ssda903YearQueryDto,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const exported: ExportedReturn = await this.queries.execute(new ExportSsda903Query(q.year));
    // Whoever takes the file reads every child in it: one access-log entry per child.
    this.access.recordRead(req, exported.childIds);
    setCsvHeaders(res, `ssda903-${q.year}-episodes.csv`, exported);
    return exported.episodesCsv;
  }

  @Get('header.csv')
  @Roles('auditor', 'admin')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'header.csv for the collection year (one row per child with an episode in the year)' })
  async header(
    @Query() q: Ssda903YearQueryDto,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const exported: ExportedReturn = await this.queries.execute(new ExportSsda903Query(q.year));
    this.access.recordRead(req, exported.childIds);
    setCsvHeaders(res, `ssda903-${q.year}-header.csv`, exported);
    return exported.headerCsv;
  }
}

function setCsvHeaders(res: Response, filename: string, exported: ExportedReturn): void {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  // Personal data: never kept by a shared cache.
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-SSDA903-Episodes', String(exported.episodes));
  res.setHeader('X-SSDA903-Children', String(exported.children));
  res.setHeader('X-SSDA903-Excluded-Children', String(exported.excluded.length));
}
