import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsArray,
  IsDateString,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { API_KEY_SCOPES, ArrayMaxSizeOfScopes, MAX_API_KEY_SCOPES } from '../api-key-scopes.js';

/**
 * Scopes as the API document shows them: the live list (read, never changed, here), so the
 * document names every scope registered by the time it is built.
 */
const SCOPES_SCHEMA = {
  type: 'array',
  items: { type: 'string', enum: API_KEY_SCOPES as string[] },
  maxItems: MAX_API_KEY_SCOPES,
} as const;

export class LoginDto {
  @ApiProperty({ example: 'admin@example.com', maxLength: 254 })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'correct horse battery staple', maxLength: 256 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  password: string;
}

export class RefreshDto {
  @ApiProperty({ maxLength: 200, example: 'rt_Q2hhbmdlIG1lIHRvIGEgcmVhbCB0b2tlbg' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refreshToken: string;
}

export class ChangePasswordDto {
  @ApiProperty({ maxLength: 256, example: 'old password here' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  currentPassword: string;

  @ApiProperty({ example: 'a new long passphrase', minLength: 12, maxLength: 256 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  newPassword: string;
}

export class TokenPairDto {
  @ApiProperty({ maxLength: 4000, example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' })
  accessToken: string;

  @ApiProperty({ maxLength: 200, example: 'rt_Q2hhbmdlIG1lIHRvIGEgcmVhbCB0b2tlbg' })
  refreshToken: string;

  @ApiProperty({ maxLength: 20, example: 'Bearer' })
  tokenType: string;

  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' })
  expiresIn: number;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'ERP sync', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({
    maxLength: 32,
    type: 'string',
    example: '2027-12-31T00:00:00Z',
    nullable: true,
  })
  @IsOptional()
  @IsDateString({ strict: true })
  expiresAt?: string | null;

  @ApiPropertyOptional({
    ...SCOPES_SCHEMA,
    example: API_KEY_SCOPES,
    description:
      'Limits the key to these scopes: it may call only the endpoints that accept one of them (403 elsewhere). Absent: the full access of its owner.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSizeOfScopes()
  @IsIn(API_KEY_SCOPES, { each: true })
  scopes?: string[];
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 200, example: 'ERP sync' }) name: string;
  @ApiProperty({
    maxLength: 20,
    example: 'k3Xa9bQz',
    description: 'Public part of the key, to recognise it in lists',
  })
  prefix: string;
  @ApiPropertyOptional({
    ...SCOPES_SCHEMA,
    description: 'Scopes the key is limited to; absent: not limited',
  })
  scopes?: string[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) expiresAt: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) lastUsedAt: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) revokedAt: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    maxLength: 200,
    example: 'rls_k3Xa9bQz_4bX…',
    description: 'The secret. Shown only in this response; store it now.',
  })
  key: string;
}

/** Most API keys a list shows: the newest, revoked ones included. */
export const MAX_LISTED_API_KEYS = 500;

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto], maxItems: MAX_LISTED_API_KEYS }) data: ApiKeyDto[];
}

export class LoginEventDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 45, example: '203.0.113.7' }) ip: string;
  @ApiProperty({ maxLength: 1000, type: 'string', nullable: true, example: 'curl/8.5.0' })
  userAgent: string | null;
  @ApiProperty() success: boolean;
  @ApiProperty({ maxLength: 100, type: 'string', nullable: true, example: 'wrong_password' })
  reason: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class MeDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ maxLength: 254, example: 'admin@example.com' }) email: string;
  @ApiProperty({ format: 'uuid' }) roleId: string;
  @ApiProperty({ maxLength: 200, example: 'Admin' }) roleName: string;
  @ApiProperty({ type: [String], format: 'uuid', maxItems: 100 }) teamIds: string[];
  @ApiProperty({
    description: 'The role permissions in force',
    example: { admin: false, entities: {}, fields: {} },
  })
  permissions: Record<string, unknown>;
}

export class LoginHistoryDto {
  @ApiProperty({ type: [LoginEventDto], maxItems: 500 }) data: LoginEventDto[];
}

/** Accepting an invitation of an audience other than staff: its token and the new password. */
export class AcceptInvitationDto {
  @ApiProperty({ maxLength: 200, example: 'pinv_Q2hhbmdlIG1lIHRvIGEgcmVhbCB0b2tlbg' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  token: string;

  @ApiProperty({ maxLength: 256, minLength: 8, example: 'a long passphrase of mine' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  password: string;
}
