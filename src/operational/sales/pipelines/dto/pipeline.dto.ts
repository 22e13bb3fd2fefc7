import { ApiProperty } from '@nestjs/swagger';
import { MAX_CURRENCIES } from '#platform/currency/index.js';
import { OPEN_FORECAST_CATEGORIES } from '../../forecasts/forecasting.config.js';
import { PIPELINE_LIMITS } from '../pipelines.config.js';

export class PipelineStageDto {
  @ApiProperty({ maxLength: 100, example: 'proposal' }) key: string;
  @ApiProperty({
    maxLength: 200,
    example: 'Proposal',
    description: 'In the language of Accept-Language',
  })
  label: string;
  @ApiProperty({ example: 50, minimum: 0, maximum: 100 }) probability: number;
  @ApiProperty({ enum: ['open', 'won', 'lost'] }) kind: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', maxLength: PIPELINE_LIMITS.fieldLength },
    maxItems: PIPELINE_LIMITS.requiredFields,
    example: ['amount'],
  })
  requiredFields: string[];
  @ApiProperty({
    enum: OPEN_FORECAST_CATEGORIES,
    nullable: true,
    example: null,
    description:
      "Forecast category of the stage's open opportunities; null: their probability decides (forecasting in crm.config.yaml)",
  })
  forecastCategory: string | null;
  @ApiProperty({ example: 2, description: 'Order in the pipeline, from 0' }) position: number;
}

export class PipelineDto {
  @ApiProperty({ maxLength: 100, example: 'sales' }) key: string;
  @ApiProperty({ maxLength: 200, example: 'New business' }) label: string;
  @ApiProperty({ description: 'New opportunities that name no pipeline join this one' })
  default: boolean;
  @ApiProperty({ type: [PipelineStageDto], maxItems: PIPELINE_LIMITS.stages })
  stages: PipelineStageDto[];
}

export class PipelineListDto {
  @ApiProperty({ type: [PipelineDto], maxItems: PIPELINE_LIMITS.pipelines }) data: PipelineDto[];
}

export class BoardAmountDto {
  @ApiProperty({ maxLength: 3, example: 'IDR' }) currency: string;
  @ApiProperty({ maxLength: 26, example: '1250000000.00', description: 'Sum of the amounts' })
  amount: string;
  @ApiProperty({
    maxLength: 26,
    example: '625000000.00',
    description: 'Sum of amount × probability / 100',
  })
  weighted: string;
}

export class BoardStageDto extends PipelineStageDto {
  @ApiProperty({ example: 12, description: 'Opportunities in the stage' }) count: number;
  @ApiProperty({
    type: [BoardAmountDto],
    maxItems: MAX_CURRENCIES,
    description:
      'Totals per currency (amounts are never converted); empty when amounts are hidden from the caller',
  })
  amounts: BoardAmountDto[];
}

export class BoardDto {
  @ApiProperty({ maxLength: 100, example: 'sales' }) pipeline: string;
  @ApiProperty({ maxLength: 200, example: 'New business' }) label: string;
  @ApiProperty({ type: [BoardStageDto], maxItems: PIPELINE_LIMITS.stages }) stages: BoardStageDto[];
  @ApiProperty({ example: 40, description: 'Opportunities on the board' }) count: number;
  @ApiProperty({ type: [BoardAmountDto], maxItems: MAX_CURRENCIES }) amounts: BoardAmountDto[];
}
