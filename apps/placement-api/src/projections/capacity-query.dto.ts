import { ApiPropertyOptional } from '@nestjs/swagger';
import { AGE_BAND_NAMES, CAPACITY_KINDS, CAPACITY_STATES, SEXES } from '@placement/projections';
import { IsOptional, Matches } from 'class-validator';
import { IsBusinessDate } from '../http/dto-rules';
import { IdFilter, ListQueryDto, MAX_PAGE_SIZE, OneOfFilter } from '../http/pagination';

/**
 * `GET /v1/capacity`: the night, filters and a page (the units beds first, then foster households, then
 * block-booked beds, each by id). The totals are the whole estate's on every page, whatever the filters.
 */
export class CapacityQueryDto extends ListQueryDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date',
    example: '2026-12-01',
    description: 'The night to answer for (Europe/London date): defaults to today. Every unit is read from its diary.',
  })
  @IsOptional()
  @IsBusinessDate()
  on?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: MAX_PAGE_SIZE })
  override limit?: number;

  @ApiPropertyOptional({
    description:
      'The beds of the settings in this local authority (ONS code); ' +
      'foster households and block bookings record none, so they are left out',
    example: 'E08000018',
  })
  @IsOptional()
  @Matches(/^E\d{8}$/, { message: '$property must be an ONS local authority code such as E08000018' })
  authority?: string;

  @IdFilter('The beds of this setting')
  settingId?: string;

  @OneOfFilter(CAPACITY_KINDS, 'Units of this kind')
  kind?: (typeof CAPACITY_KINDS)[number];

  @OneOfFilter(
    CAPACITY_STATES,
    "Units in this state that night (a bed's, a household's or a block-booked bed's `status`), " +
      'or `free`: free that night',
  )
  state?: (typeof CAPACITY_STATES)[number];

  @OneOfFilter(AGE_BAND_NAMES, 'Beds and households whose terms take a child of this age band')
  ageBand?: string;

  @OneOfFilter(SEXES, 'Beds and households whose terms take a child of this sex')
  sex?: (typeof SEXES)[number];
}
