import { ApiProperty } from '@nestjs/swagger';
import { ListMetaDto } from '#platform/records/index.js';
import { MAX_SCORING_RULES } from '../../lead-rules/lead-rules.config.js';

export class ScoredRuleDto {
  @ApiProperty({
    maxLength: 100,
    example: 'inbound_email',
    description: 'Key of the rule in leadScoring.rules',
  })
  key: string;
  @ApiProperty({
    maxLength: 200,
    type: 'string',
    example: 'Inbound email in the last 30 days',
    nullable: true,
    description: "The rule's label in the caller's language; null once the rule is removed",
  })
  label: string | null;
  @ApiProperty({ example: 10, description: 'What the rule added (negative: took off)' })
  points: number;
}

export class ScoreHistoryEntryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 35 }) score: number;
  @ApiProperty({ example: 25 }) previousScore: number;
  @ApiProperty({
    type: [ScoredRuleDto],
    maxItems: MAX_SCORING_RULES,
    description: 'Every rule that counted for the new score',
  })
  rules: ScoredRuleDto[];
  @ApiProperty({
    enum: ['change', 'activity', 'nightly'],
    description:
      'What moved the score: a change to the lead, a change to its activities, or the nightly recalculation',
  })
  reason: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class ScoreHistoryPageDto {
  @ApiProperty({ type: [ScoreHistoryEntryDto], maxItems: 500 }) data: ScoreHistoryEntryDto[];
  @ApiProperty({
    type: ListMetaDto,
    example: { nextCursor: null, limit: 50 },
    description: 'Newest first; pass nextCursor as cursor for more',
  })
  meta: ListMetaDto;
}
