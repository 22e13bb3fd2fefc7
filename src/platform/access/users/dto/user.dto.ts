import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { IsTimeZone } from '#platform/http/is-time-zone.validator.js';
import { ListMetaDto } from '#platform/records/dto/list.dto.js';
import { TEAM_LIMITS } from '../../teams/dto/team.dto.js';

export const USER_LOCALES = ['en', 'id'] as const;
export type UserLocale = (typeof USER_LOCALES)[number];

/** Present in a PATCH: validated, and null is refused unless the field is nullable. */
const present = ValidateIf((_: object, v: unknown) => v !== undefined);

export class CreateUserDto {
  @ApiProperty({ example: 'sari.wijaya@example.co.id', maxLength: 254 })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({
    example: 'correct horse battery staple',
    minLength: 12,
    maxLength: 256,
    description: 'At least security.passwordMinLength characters (crm.config.yaml, default 12)',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  password: string;

  @ApiPropertyOptional({ type: 'string', example: 'Sari', maxLength: 100, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  firstName?: string | null;

  @ApiProperty({ example: 'Wijaya', maxLength: 100, description: 'The only name of a mononym' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  lastName: string;

  @ApiProperty({ format: 'uuid', example: '0192f000-0000-7000-8000-000000000003' })
  @IsUUID('all')
  @MaxLength(36)
  roleId: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: TEAM_LIMITS.teamsPerUser,
    example: ['0192f3a1-7c2e-7d41-9a55-3f1f0c9b8e21'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(TEAM_LIMITS.teamsPerUser)
  @IsUUID('all', { each: true })
  @MaxLength(36, { each: true })
  teamIds?: string[];

  @ApiPropertyOptional({
    enum: USER_LOCALES,
    example: 'id',
    description: 'Defaults to organization.defaultLocale',
  })
  @IsOptional()
  @IsIn(USER_LOCALES)
  locale?: UserLocale;

  @ApiPropertyOptional({
    example: 'Asia/Jakarta',
    maxLength: 64,
    description: 'IANA time zone; defaults to organization.timeZone',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ example: 'sari.wijaya@example.co.id', maxLength: 254 })
  @present
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({
    example: 'a new long passphrase',
    minLength: 12,
    maxLength: 256,
    description: "Sets a new password and ends the user's sessions",
  })
  @present
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  password?: string;

  @ApiPropertyOptional({ type: 'string', example: 'Sari', maxLength: 100, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  firstName?: string | null;

  @ApiPropertyOptional({ example: 'Wijaya', maxLength: 100 })
  @present
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  lastName?: string;

  @ApiPropertyOptional({ format: 'uuid', example: '0192f000-0000-7000-8000-000000000002' })
  @present
  @IsUUID('all')
  @MaxLength(36)
  roleId?: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: TEAM_LIMITS.teamsPerUser,
    description: "Replaces the user's team memberships",
  })
  @present
  @IsArray()
  @ArrayMaxSize(TEAM_LIMITS.teamsPerUser)
  @IsUUID('all', { each: true })
  @MaxLength(36, { each: true })
  teamIds?: string[];

  @ApiPropertyOptional({ enum: USER_LOCALES, example: 'en' })
  @present
  @IsIn(USER_LOCALES)
  locale?: UserLocale;

  @ApiPropertyOptional({ example: 'Asia/Makassar', maxLength: 64 })
  @present
  @IsString()
  @MaxLength(64)
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({
    example: false,
    description: 'false ends the user’s sessions and refuses their tokens and API keys',
  })
  @present
  @IsBoolean()
  active?: boolean;
}

export class UserDto {
  @ApiProperty({ format: 'uuid', example: '0192f3a1-5b6c-7d41-9a55-3f1f0c9b8e20' }) id: string;
  @ApiProperty({ maxLength: 254, example: 'sari.wijaya@example.co.id' }) email: string;
  @ApiProperty({ maxLength: 100, type: 'string', example: 'Sari', nullable: true }) firstName:
    string | null;
  @ApiProperty({ maxLength: 100, type: 'string', example: 'Wijaya', nullable: true }) lastName:
    string | null;
  @ApiProperty({ format: 'uuid', example: '0192f000-0000-7000-8000-000000000003' })
  roleId: string;
  @ApiProperty({
    type: [String],
    format: 'uuid',
    maxItems: TEAM_LIMITS.teamsPerUser,
    example: ['0192f3a1-7c2e-7d41-9a55-3f1f0c9b8e21'],
  })
  teamIds: string[];
  @ApiProperty({ enum: USER_LOCALES, example: 'id' }) locale: string;
  @ApiProperty({ maxLength: 100, example: 'Asia/Jakarta' }) timeZone: string;
  @ApiProperty({ example: true }) active: boolean;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    example: '2026-03-02T01:15:00.000Z',
  })
  lastLoginAt: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-02-01T08:00:00.000Z' })
  passwordChangedAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-02-01T08:00:00.000Z' }) createdAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T09:30:00.000Z' }) updatedAt: string;
  @ApiProperty({ example: 3 }) version: number;
}

export class UserListDto {
  @ApiProperty({ type: [UserDto], maxItems: 500 }) data: UserDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}
