import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';
import { IsInstant, ListMetaDto } from '#platform/records/index.js';

export const CONSENT_CHANNELS = ['email', 'sms', 'phone', 'whatsapp', 'post'] as const;

/** The lawful bases of processing personal data (GDPR art. 6, UU PDP art. 20). */
export const LAWFUL_BASES = [
  'consent',
  'contract',
  'legal_obligation',
  'vital_interests',
  'public_task',
  'legitimate_interest',
] as const;
export type LawfulBasis = (typeof LAWFUL_BASES)[number];

const PURPOSE = /^[a-z][a-z0-9_]{0,49}$/;

/** Where a consent or its withdrawal came from, and what proves it. */
export class ConsentProofInput {
  @ApiProperty({
    type: 'string',
    maxLength: 200,
    example: 'web form: newsletter sign-up',
    description: 'Where the consent was collected',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  source: string;

  @ApiPropertyOptional({
    type: 'string',
    maxLength: 4000,
    example: 'I agree to receive product news by e-mail.',
    description: 'The wording the contact agreed to',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  proofText?: string;

  @ApiPropertyOptional({
    type: 'string',
    format: 'uri',
    maxLength: 2000,
    example: 'https://forms.example.com/submissions/8812',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'], require_tld: false })
  proofUrl?: string;
}

export class GiveConsentDto extends ConsentProofInput {
  @ApiProperty({
    type: 'string',
    pattern: PURPOSE.source,
    maxLength: 50,
    example: 'marketing',
    description: 'What the data is used for; the marketing gate asks for a purpose',
  })
  @IsString()
  @Matches(PURPOSE, { message: 'purpose must be lower-case letters, digits and _' })
  purpose: string;

  @ApiProperty({ enum: LAWFUL_BASES, example: 'consent' })
  @IsIn(LAWFUL_BASES)
  lawfulBasis: LawfulBasis;

  @ApiPropertyOptional({
    enum: CONSENT_CHANNELS,
    nullable: true,
    description: 'The one channel it covers; absent or null: every channel',
  })
  @IsOptional()
  @IsIn([...CONSENT_CHANNELS, null])
  channel?: (typeof CONSENT_CHANNELS)[number] | null;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date-time',
    maxLength: 40,
    example: '2026-05-01T09:30:00+07:00',
    description: 'When it was given; default now',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsInstant()
  givenAt?: string;
}

export class WithdrawConsentDto extends ConsentProofInput {
  @ApiPropertyOptional({
    type: 'string',
    format: 'date-time',
    maxLength: 40,
    description: 'When it was withdrawn; default now',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsInstant()
  withdrawnAt?: string;
}

/** One entry of a contact's consent history; entries are never changed, only added. */
export class ConsentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ enum: ['given', 'withdrawn'] }) action: 'given' | 'withdrawn';
  @ApiProperty({ type: 'string', maxLength: 50 }) purpose: string;
  @ApiProperty({ enum: LAWFUL_BASES }) lawfulBasis: LawfulBasis;
  @ApiProperty({ enum: CONSENT_CHANNELS, nullable: true }) channel: string | null;
  @ApiProperty({ type: 'string', maxLength: 200 }) source: string;
  @ApiProperty({ type: 'string', maxLength: 4000, nullable: true }) proofText: string | null;
  @ApiProperty({ type: 'string', maxLength: 2000, nullable: true }) proofUrl: string | null;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'For a given entry: when it was given',
  })
  givenAt: string | null;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description:
      'For a given entry: when a later entry withdrew it (null while it stands); for a withdrawal: when it took effect',
  })
  withdrawnAt: string | null;
  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description:
      'For a withdrawal: the entry it withdraws; for a given entry: the withdrawal, if any',
  })
  relatedId: string | null;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) recordedById: string | null;
}

export class ConsentPageDto {
  @ApiProperty({ type: [ConsentDto], maxItems: 500 }) data: ConsentDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}
