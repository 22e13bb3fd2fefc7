import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class CsatSurveyDto {
  @ApiProperty({ example: 'CS-2026-000042', maxLength: 20 }) caseNumber: string;
  @ApiProperty({ maxLength: 500 }) subject: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ description: 'Whether it was answered already' }) answered: boolean;
}

export class AnswerCsatDto {
  @ApiProperty({ minimum: 1, maximum: 5, example: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  score: number;

  @ApiPropertyOptional({ maxLength: 5000, example: 'Quick and friendly.' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  comment?: string;
}

export class CsatGroupDto {
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) id: string | null;
  @ApiProperty({ example: 12 }) count: number;
  @ApiProperty({ type: 'string', nullable: true, example: '4.50', maxLength: 10 })
  average: string | null;
}

export class CsatReportDto {
  @ApiProperty({ format: 'date', example: '2026-06-01' }) from: string;
  @ApiProperty({ format: 'date', example: '2026-06-30' }) to: string;
  @ApiProperty({ example: 40, description: 'Surveys answered in the period' }) count: number;
  @ApiProperty({ type: 'string', nullable: true, example: '4.25', maxLength: 10 })
  average: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0, maximum: 2147483647 },
    example: { '1': 1, '2': 0, '3': 4, '4': 10, '5': 25 },
    description: 'Answers per score',
  })
  distribution: Record<string, number>;
  @ApiProperty({ type: [CsatGroupDto], maxItems: 10000 }) byAgent: CsatGroupDto[];
  @ApiProperty({ type: [CsatGroupDto], maxItems: 10000 }) byQueue: CsatGroupDto[];
  @ApiProperty({
    example: 3,
    description: 'Invitations the marketing gate held back in the period',
  })
  heldBack: number;
}
