import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { HOLD_BACK_REASONS } from '../../gate/marketing-gate.js';

export class SendEmailDto {
  @ApiProperty({
    type: 'string',
    maxLength: 200,
    example: 'campaign:0192f000-0000-7000-8000-0000000000c1',
    description: 'The logical message; a contact gets one message per key',
  })
  @IsString()
  @Matches(/^[a-z][a-z0-9_-]*:[^\s]{1,180}$/, { message: 'sourceKey must look like kind:id' })
  @MaxLength(200)
  sourceKey: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  contactId: string;

  @ApiProperty({ type: 'string', maxLength: 50, example: 'marketing' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,49}$/, {
    message: 'purpose must be lower-case letters, digits and _',
  })
  purpose: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 50, nullable: true, example: 'newsletter' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  topic?: string | null;

  @ApiProperty({ type: 'string', maxLength: 300, example: 'Our June webinar' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  subject: string;

  @ApiPropertyOptional({
    type: 'string',
    maxLength: 500_000,
    example: '<p>Hello <a href="https://example.com/webinar">join us</a></p>',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500_000)
  html?: string;

  @ApiPropertyOptional({
    type: 'string',
    maxLength: 200_000,
    description: 'Default: the text of the HTML',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200_000)
  text?: string;
}

export class OutboundMessageDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: 'string', maxLength: 200 }) sourceKey: string;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ type: 'string', maxLength: 20 }) channel: string;
  @ApiProperty({ type: 'string', maxLength: 50 }) purpose: string;
  @ApiProperty({ type: 'string', maxLength: 50, nullable: true }) topic: string | null;
  @ApiProperty({ type: 'string', maxLength: 254 }) toAddress: string;
  @ApiProperty({ type: 'string', maxLength: 300, nullable: true }) subject: string | null;
  @ApiProperty({
    enum: ['queued', 'sending', 'sent', 'unconfirmed', 'held', 'failed', 'bounced'],
    description:
      '`unconfirmed`: the sending process stopped or the line broke before the SMTP answer; never sent again',
  })
  status: string;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 1000 }) attempts: number;
  @ApiProperty({ format: 'date-time', description: 'Not sent before this moment' })
  notBefore: string;
  @ApiProperty({ type: 'string', maxLength: 1000, nullable: true }) lastError: string | null;
  @ApiProperty({ format: 'date-time' }) queuedAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) sentAt: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) openedAt: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 2147483647 }) openCount: number;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) clickedAt: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 2147483647 }) clickCount: number;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) bouncedAt: string | null;
  @ApiProperty({
    type: 'string',
    maxLength: 200,
    nullable: true,
    description: "SMS and WhatsApp: the provider's id of the message",
  })
  providerMessageId: string | null;
  @ApiProperty({
    enum: ['accepted', 'delivered', 'undelivered', 'failed', 'read'],
    nullable: true,
    description: 'SMS and WhatsApp: the latest delivery the provider reported',
  })
  deliveryStatus: string | null;
  @ApiProperty({ type: 'string', maxLength: 1000, nullable: true }) deliveryError: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  deliveryUpdatedAt: string | null;
}

export class SendEmailResultDto {
  @ApiProperty({ enum: ['queued', 'duplicate', 'held'] }) status: string;
  @ApiPropertyOptional({ type: OutboundMessageDto }) message?: OutboundMessageDto;
  @ApiPropertyOptional({ enum: HOLD_BACK_REASONS }) reason?: string;
  @ApiPropertyOptional({ type: 'string', format: 'date-time', nullable: true }) nextAllowedAt?:
    string | null;
  @ApiPropertyOptional({ type: 'string', format: 'uuid' }) holdBackId?: string;
}

export class BounceReportDto {
  @ApiProperty({
    type: 'string',
    maxLength: 1_000_000,
    description: 'The delivery status notification (RFC 3464) as received, headers and body',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1_000_000)
  raw: string;
}

export class BounceResultDto {
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'uuid' }, maxItems: 1000 })
  bouncedMessageIds: string[];
}

export class PreferenceLinksRequestDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  contactId: string;
}

export class PreferenceLinksDto {
  @ApiProperty({ type: 'string', format: 'uri', maxLength: 2000 }) preferencesUrl: string;
  @ApiProperty({ type: 'string', format: 'uri', maxLength: 2000 }) unsubscribeUrl: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}
