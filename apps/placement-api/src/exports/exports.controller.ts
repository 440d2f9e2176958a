import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ExportedReturn } from '@placement/ssda903';
import type { Response } from 'express';
import { ChildRecordAccess } from '../access/child-record-access';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { Roles } from '../auth/roles';
import { Ssda903YearQueryDto } from './exports.dto';
import { ExportSsda903Query, Ssda903Report, Ssda903ReportQuery } from './exports.queries';
import { ApiCsv, ApiRead } from '../http/openapi';

/**
 * The DfE SSDA903 return as CSV files. Auditors and admins only: the files carry children's dates
 * of birth and postcodes. A child left out (their events break an episode rule) is never left out
 * silently: each CSV response counts them (X-SSDA903-Excluded-Children) and links (Link,
 * rel="describedby") to the JSON report that names each one and why, beside the DfE's rules run
 * on the files. The report is a sibling route rather than more headers or rows because the files
 * must stay exactly the DfE's (a note row would fail the DfE's load) and a list of reasons outgrows
 * what proxies allow in headers (often 8 KB); JSON also gives the report a schema in /docs.
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
  @ApiOperation({ summary: 'SSDA903 episodes.csv for a collection year' })
  @Roles('auditor', 'admin')
  @ApiCsv('episodes.csv for the collection year (DfE columns, dd/mm/yyyy)')
  async episodes(
    @Query() q: Ssda903YearQueryDto,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    return (await this.exportFile(q.year, 'episodes.csv', req, res)).episodesCsv;
  }

  @Get('header.csv')
  @ApiOperation({ summary: 'SSDA903 header.csv for a collection year' })
  @Roles('auditor', 'admin')
  @ApiCsv('header.csv for the collection year (one row per child with an episode in the year)')
  async header(
    @Query() q: Ssda903YearQueryDto,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    return (await this.exportFile(q.year, 'header.csv', req, res)).headerCsv;
  }

  @Get('report')
  @ApiRead(
    'SSDA903 validation report for a collection year: the children its files leave out and why, and the DfE rules run',
    'Ssda903ReportBody',
  )
  @Roles('auditor', 'admin')
  async report(@Query() q: Ssda903YearQueryDto, @Res({ passthrough: true }) res: Response): Promise<Ssda903Report> {
    res.setHeader('Cache-Control', 'no-store');
    return this.queries.execute(new Ssda903ReportQuery(q.year));
  }

  /** The year's return, with one file of it about to be sent: its reads logged and its headers set. */
  private async exportFile(
    year: number,
    file: string,
    req: AuthenticatedRequest,
    res: Response,
  ): Promise<ExportedReturn> {
    const exported: ExportedReturn = await this.queries.execute(new ExportSsda903Query(year));
    // Whoever takes the file reads every child in it: one access-log entry per child.
    this.access.recordRead(req, exported.childIds);
    setCsvHeaders(res, `ssda903-${year}-${file}`, exported);
    return exported;
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
  res.setHeader(
    'Link',
    `</v1/exports/ssda903/report?year=${exported.year}>; rel="describedby"; type="application/json"`,
  );
}
