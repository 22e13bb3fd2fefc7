import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { ListMetaDto, MoneyDto } from '#platform/records/index.js';
import { PARTNER_LEAD_STATUSES } from '../partner-records.service.js';
import { PartnerDealRegistrationDto, DealRegistrationDto } from './deal-registration.dto.js';

/** A shared lead; a field `partners.access.leads.hidden` names is left out. */
export class PartnerLeadDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 100 }) firstName: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 100 }) lastName: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 200 }) company: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 200 }) title: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 320 }) email: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 50 }) phone: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 100 }) industry: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 500 }) website: string | null;
  @ApiPropertyOptional({ type: 'object', nullable: true, additionalProperties: true })
  address: Record<string, unknown> | null;
  @ApiPropertyOptional({ maxLength: 20, example: 'working' }) status: string;
  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 10 }) rating: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 2147483647 }) version: number;
}

export class PartnerLeadPageDto {
  @ApiProperty({ type: [PartnerLeadDto], maxItems: 500 }) data: PartnerLeadDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}

export class UpdatePartnerLeadDto {
  @ApiProperty({ enum: PARTNER_LEAD_STATUSES, description: 'Where the partner is with the lead' })
  @IsIn(PARTNER_LEAD_STATUSES)
  status: string;
}

/** A shared opportunity; a field `partners.access.opportunities.hidden` names is left out. */
export class PartnerOpportunityDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiPropertyOptional({ maxLength: 200 }) name: string;
  @ApiPropertyOptional({ format: 'uuid' }) accountId: string;
  @ApiPropertyOptional({ type: MoneyDto, nullable: true }) amount: MoneyDto | null;
  @ApiPropertyOptional({ maxLength: 50, example: 'proposal' }) stage: string;
  @ApiPropertyOptional({ enum: ['open', 'won', 'lost'] }) status: string;
  @ApiPropertyOptional({ type: 'string', format: 'date', nullable: true }) expectedCloseDate:
    string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 500 }) nextStep: string | null;
  @ApiPropertyOptional({ type: 'string', format: 'date-time', nullable: true }) closedAt:
    string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 2147483647 }) version: number;
}

export class PartnerOpportunityPageDto {
  @ApiProperty({ type: [PartnerOpportunityDto], maxItems: 500 }) data: PartnerOpportunityDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}

export class UpdatePartnerOpportunityDto {
  @ApiProperty({ type: 'string', nullable: true, maxLength: 500, example: 'Demo on Tuesday' })
  @ValidateIf((o: { nextStep: unknown }) => o.nextStep !== null)
  @IsString()
  @MaxLength(500)
  nextStep: string | null;
}

export class PartnerDealRegistrationPageDto {
  @ApiProperty({ type: [PartnerDealRegistrationDto], maxItems: 500 })
  data: PartnerDealRegistrationDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}

export class DealRegistrationPageDto {
  @ApiProperty({ type: [DealRegistrationDto], maxItems: 500 }) data: DealRegistrationDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}

export class SharePartnerDto {
  @ApiProperty({ format: 'uuid', description: 'The partner organization to share with' })
  @IsNotEmpty()
  @IsUUID('all')
  partnerId: string;
}

export class ShareResultDto {
  @ApiProperty({ format: 'uuid' }) partnerId: string;
  @ApiProperty({ enum: ['leads', 'opportunities'] }) recordType: string;
  @ApiProperty({ format: 'uuid' }) recordId: string;
  @ApiProperty({ description: 'False when the record was shared with the partner already' })
  added: boolean;
}

export class RuleOutcomeDto {
  @ApiProperty({ maxLength: 50, example: 'java_gold' }) rule: string;
  @ApiProperty() matched: boolean;
  @ApiProperty({ maxLength: 300, example: 'lead country SG is not one of ID' }) reason: string;
}

export class DistributionResultDto {
  @ApiProperty({ format: 'uuid' }) leadId: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) partnerId: string | null;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 50 }) rule: string | null;
  @ApiProperty({ type: [RuleOutcomeDto], maxItems: 100, description: 'Each rule tried, in order' })
  explanation: RuleOutcomeDto[];
}

class RegistrationCountsDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 2147483647 }) submitted: number;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 2147483647 }) approved: number;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 2147483647 }) rejected: number;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 2147483647 }) expired: number;
}

class DealCountsDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 2147483647 }) won: number;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 2147483647 }) lost: number;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 2147483647 }) open: number;
}

export class PartnerPerformanceDto {
  @ApiProperty({ format: 'uuid' }) partnerId: string;
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty({ format: 'date' }) to: string;
  @ApiProperty({ type: RegistrationCountsDto }) registrations: RegistrationCountsDto;
  @ApiProperty({ type: DealCountsDto }) deals: DealCountsDto;
  @ApiProperty({
    type: 'string',
    nullable: true,
    maxLength: 10,
    example: '0.6667',
    description: 'Won over won + lost',
  })
  winRate: string | null;
  @ApiProperty({ type: [MoneyDto], maxItems: 200 }) revenueWon: MoneyDto[];
  @ApiProperty({ type: [MoneyDto], maxItems: 200 }) averageDealSize: MoneyDto[];
}
