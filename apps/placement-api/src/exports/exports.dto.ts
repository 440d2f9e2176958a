import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export class Ssda903YearQueryDto {
  @ApiProperty({
    type: 'integer',
    minimum: 2000,
    maximum: 2100,
    example: 2025,
    description: 'Collection year, named by the year it ends: 2025 = 1 April 2024 to 31 March 2025',
  })
  // Only whole digits become a number; anything else stays a string and fails @IsInt.
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value,
  )
  @IsInt({ message: '$property must be a whole year such as 2025' })
  @Min(2000)
  @Max(2100)
  year!: number;
}

export class ExcludedChildView {
  @ApiProperty({ example: 'c0062' })
  childId!: string;

  @ApiProperty({
    type: [String],
    description: 'Each episode rule the child’s record breaks, in plain words; ids and dates of placements only',
  })
  problems!: string[];
}

export class RuleFailureView {
  @ApiProperty({ example: '393', description: 'The DfE validation rule code' })
  rule!: string;

  @ApiProperty({ enum: ['episodes', 'header'] })
  file!: 'episodes' | 'header';

  @ApiProperty({ description: 'Line in that file (the column header is line 1)' })
  line!: number;

  @ApiProperty({ example: 'c0001' })
  child!: string;
}

export class DfeRuleView {
  @ApiProperty({ example: '393' })
  code!: string;

  @ApiProperty()
  message!: string;
}

export class DfeRulesView {
  @ApiProperty({ type: [DfeRuleView], description: 'Every DfE rule run on the two files' })
  run!: DfeRuleView[];

  @ApiProperty({ type: [RuleFailureView], description: 'Every row a rule flags; empty when the return passes' })
  failures!: RuleFailureView[];
}

/** What the CSV files cannot say without ceasing to be the DfE's files: who was left out, and the DfE's checks. */
export class Ssda903ReportView {
  @ApiProperty({ example: 2027 })
  year!: number;

  @ApiProperty({ example: '2026/27' })
  label!: string;

  @ApiProperty({ description: 'Rows in episodes.csv' })
  episodes!: number;

  @ApiProperty({ description: 'Rows in header.csv' })
  children!: number;

  @ApiProperty({
    type: [ExcludedChildView],
    description: 'Children looked after whom the files leave out, each with why; empty when none is',
  })
  excluded!: ExcludedChildView[];

  @ApiProperty({ type: [String], description: 'Rows written that the DfE may query' })
  warnings!: string[];

  @ApiProperty({ type: DfeRulesView })
  dfeRules!: DfeRulesView;
}
