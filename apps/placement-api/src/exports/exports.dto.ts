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
