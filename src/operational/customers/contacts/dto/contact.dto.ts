import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
  registerDecorator,
} from 'class-validator';
import { IsPicklistValue } from '#platform/customization/index.js';
import { IsCalendarDate } from '#platform/http/index.js';
import {
  RecordResponse,
  CustomFieldsInput,
  OwnerIdInput,
  TeamIdInput,
} from '#platform/records/index.js';
import { PhoneDto } from '../../dto/contact-points.dto.js';
import { LIFECYCLE_STAGES } from '../contact.definition.js';

const ZONES = new Set(Intl.supportedValuesOf('timeZone').concat('UTC'));

function IsTimeZone() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (v: unknown) => typeof v === 'string' && ZONES.has(v),
        defaultMessage: () => `${propertyName} must be an IANA time zone`,
      },
    });
}

export class CreateContactDto {
  @ApiPropertyOptional({ type: 'string', example: 'Ibu', maxLength: 20, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  salutation?: string | null;

  @ApiPropertyOptional({ type: 'string', example: 'Sari', maxLength: 100, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  firstName?: string | null;

  @ApiPropertyOptional({ type: 'string', maxLength: 100, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  middleName?: string | null;

  @ApiProperty({ example: 'Wijaya', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  lastName: string;

  @ApiPropertyOptional({
    type: 'string',
    example: 'sari.wijaya@sinarjaya.co.id',
    maxLength: 254,
    nullable: true,
  })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', maxLength: 254 },
    example: ['sari@gmail.com'],
    maxItems: 10,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsEmail({}, { each: true })
  @MaxLength(254, { each: true })
  otherEmails?: string[];

  @ApiPropertyOptional({ type: [PhoneDto], maxItems: 10 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => PhoneDto)
  phones?: PhoneDto[];

  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID('all')
  accountId?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    example: 'Head of Procurement',
    maxLength: 128,
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  title?: string | null;

  @ApiPropertyOptional({ type: 'string', example: 'Procurement', maxLength: 100, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  department?: string | null;

  @ApiPropertyOptional({
    maxLength: 35,
    type: 'string',
    example: 'id',
    description: 'BCP 47 language tag',
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, {
    message: 'preferredLanguage must be a language tag such as "en" or "id"',
  })
  preferredLanguage?: string | null;

  @ApiPropertyOptional({ maxLength: 100, type: 'string', example: 'Asia/Jakarta', nullable: true })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    format: 'date',
    example: '1990-04-17',
    nullable: true,
    description: 'Read by automations triggered on `contact.birthday`',
  })
  @IsOptional()
  @IsCalendarDate()
  birthdate?: string | null;

  @ApiPropertyOptional({ enum: LIFECYCLE_STAGES, default: 'lead' })
  @IsOptional()
  @IsPicklistValue('contacts', 'lifecycleStage', LIFECYCLE_STAGES)
  lifecycleStage?: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 10000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string | null;

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('contacts')
  customFields?: Record<string, unknown>;
}

export class UpdateContactDto extends PartialType(CreateContactDto) {}

export class ContactDto extends RecordResponse(CreateContactDto) {
  @ApiProperty({ type: 'array', items: { type: 'string', maxLength: 254 }, maxItems: 10 })
  declare otherEmails: string[];
  @ApiProperty({ type: [PhoneDto], maxItems: 10 }) declare phones: PhoneDto[];
  @ApiProperty({ enum: LIFECYCLE_STAGES }) declare lifecycleStage: string;
}
