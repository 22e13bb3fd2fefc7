import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsUUID } from 'class-validator';
import { MoneyDto } from '#platform/records/index.js';
import { MEMBER_STATUSES } from '../campaign-member-status.js';

export const MAX_MEMBERS_ADDED = 1000;

export class AddCampaignMembersDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Everyone in the segment now; or give contactIds',
  })
  @IsOptional()
  @IsUUID('all')
  segmentId?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_MEMBERS_ADDED })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MEMBERS_ADDED)
  @IsUUID('all', { each: true })
  contactIds?: string[];
}

export class MembersAddedDto {
  @ApiProperty({ example: 120, description: 'Contacts that were not members before' })
  added: number;
  @ApiProperty({ example: 450 }) memberCount: number;
}

export class MoveCampaignMemberDto {
  @ApiProperty({
    enum: MEMBER_STATUSES,
    description:
      'Forward along targeted → sent → delivered → opened → clicked → responded → converted, or out: unsubscribed, bounced',
  })
  @IsIn(MEMBER_STATUSES)
  status: string;
}

export class MemberStatusChangeDto {
  @ApiProperty({ type: 'string', enum: MEMBER_STATUSES, nullable: true }) from: string | null;
  @ApiProperty({ enum: MEMBER_STATUSES }) to: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
}

export class CampaignMemberDto {
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ enum: MEMBER_STATUSES }) status: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) sourceSegmentId: string | null;
  @ApiProperty({ format: 'date-time' }) addedAt: string;
  @ApiProperty({ format: 'date-time' }) statusChangedAt: string;
  @ApiPropertyOptional({
    type: [MemberStatusChangeDto],
    maxItems: 100,
    description: 'On reads of one member',
  })
  history?: MemberStatusChangeDto[];
}

export class CampaignMemberPageMetaDto {
  @ApiProperty({ example: 50 }) limit: number;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 36 }) nextCursor: string | null;
}

export class CampaignMemberPageDto {
  @ApiProperty({ type: [CampaignMemberDto], maxItems: 500 }) data: CampaignMemberDto[];
  @ApiProperty({ type: CampaignMemberPageMetaDto }) meta: CampaignMemberPageMetaDto;
}

export class MembersByStatusDto {
  @ApiProperty() targeted: number;
  @ApiProperty() sent: number;
  @ApiProperty() delivered: number;
  @ApiProperty() opened: number;
  @ApiProperty() clicked: number;
  @ApiProperty() responded: number;
  @ApiProperty() converted: number;
  @ApiProperty() unsubscribed: number;
  @ApiProperty() bounced: number;
}

export class CampaignPerformanceDto {
  @ApiProperty({ example: 'IDR', maxLength: 3 }) currency: string;
  @ApiProperty() memberCount: number;
  @ApiProperty({ type: MembersByStatusDto }) membersByStatus: MembersByStatusDto;
  @ApiProperty() responses: number;
  @ApiProperty({ description: 'Responses that made a new lead' }) leads: number;
  @ApiProperty({ type: MoneyDto }) plannedCost: MoneyDto;
  @ApiProperty({ type: MoneyDto }) actualCost: MoneyDto;
  @ApiProperty({ type: MoneyDto, nullable: true, description: 'Actual cost / leads' })
  costPerLead: MoneyDto | null;
  @ApiProperty({ type: 'string', nullable: true, example: '0.1250', maxLength: 30 })
  responseRate: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '0.0400', maxLength: 30 })
  conversionRate: string | null;
  @ApiProperty({ type: MoneyDto, description: 'Net of credited orders, in the campaign currency' })
  attributedRevenue: MoneyDto;
  @ApiProperty({
    type: 'string',
    nullable: true,
    example: '2.5000',
    maxLength: 40,
    description: '(revenue − actual cost) / actual cost; null without actual cost',
  })
  roi: string | null;
}
