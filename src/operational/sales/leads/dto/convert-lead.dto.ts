import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { MoneyDto } from '#platform/records/index.js';
import { AccountDto, ContactDto } from '#operational/customers/index.js';
import { IsCalendarDate } from '#platform/http/index.js';
import { OpportunityDto } from '../../opportunities/dto/opportunity.dto.js';
import { LeadDto } from './lead.dto.js';

const KEY = /^[a-z][a-z0-9_]{0,49}$/;

export class ConvertOpportunityDto {
  @ApiPropertyOptional({
    example: 'PT Maju Mundur — first order',
    maxLength: 200,
    description: "Defaults to the lead's company (or name)",
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ type: MoneyDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyDto)
  amount?: MoneyDto;

  @ApiPropertyOptional({ maxLength: 100, example: 'sales' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(KEY, { message: 'pipeline must be a pipeline key' })
  pipeline?: string;

  @ApiPropertyOptional({ maxLength: 100, example: 'qualification' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(KEY, { message: 'stage must be a stage key' })
  stage?: string;

  @ApiPropertyOptional({ example: 20, minimum: 0, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  probability?: number;

  @ApiPropertyOptional({ example: '2026-12-31', format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  expectedCloseDate?: string;
}

export class ConvertLeadDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Link this existing account instead of creating one',
  })
  @IsOptional()
  @IsUUID('all')
  accountId?: string;

  @ApiPropertyOptional({
    default: true,
    description:
      "Create an account from the lead's company (the default when accountId is absent and the lead has a company)",
  })
  @IsOptional()
  @IsBoolean()
  createAccount?: boolean;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Link this existing contact instead of creating one',
  })
  @IsOptional()
  @IsUUID('all')
  contactId?: string;

  @ApiPropertyOptional({
    default: true,
    description:
      "Create a contact from the lead's person fields (the default when contactId is absent and the lead has a last name)",
  })
  @IsOptional()
  @IsBoolean()
  createContact?: boolean;

  @ApiPropertyOptional({
    type: ConvertOpportunityDto,
    description: 'Also open an opportunity at the account',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ConvertOpportunityDto)
  createOpportunity?: ConvertOpportunityDto;
}

export class ConvertedLeadDto {
  @ApiProperty({ type: LeadDto }) lead: LeadDto;
  @ApiProperty({ type: AccountDto, nullable: true }) account: AccountDto | null;
  @ApiProperty({ type: ContactDto, nullable: true }) contact: ContactDto | null;
  @ApiProperty({ type: OpportunityDto, nullable: true }) opportunity: OpportunityDto | null;
  @ApiProperty({
    example: { account: true, contact: true, opportunity: false },
    description: 'Which of them the conversion created (the others were linked)',
  })
  created: { account: boolean; contact: boolean; opportunity: boolean };
}
