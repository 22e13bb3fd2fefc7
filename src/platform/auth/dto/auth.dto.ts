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
import { API_KEY_SCOPES, ArrayMaxSizeOfScopes } from '../api-key-scopes.js';

/**
 * Scopes as the API document shows them: the live list (read, never changed, here), so the
 * document names every scope registered by the time it is built.
 */
const SCOPES_SCHEMA = {
  type: 'array',
  items: { type: 'string', enum: API_KEY_SCOPES as string[] },
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
  @ApiProperty({ example: 'rt_Q2hhbmdlIG1lIHRvIGEgcmVhbCB0b2tlbg' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refreshToken: string;
}

export class ChangePasswordDto {
  @ApiProperty({ example: 'old password here' })
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
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' })
  accessToken: string;

  @ApiProperty({ example: 'rt_Q2hhbmdlIG1lIHRvIGEgcmVhbCB0b2tlbg' })
  refreshToken: string;

  @ApiProperty({ example: 'Bearer' })
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

  @ApiPropertyOptional({ example: '2027-12-31T00:00:00Z', nullable: true })
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
  @ApiProperty({ example: 'ERP sync' }) name: string;
  @ApiProperty({
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
  @ApiProperty({ format: 'date-time', nullable: true }) expiresAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) lastUsedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) revokedAt: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    example: 'rls_k3Xa9bQz_4bX…',
    description: 'The secret. Shown only in this response; store it now.',
  })
  key: string;
}

export class LoginEventDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '203.0.113.7' }) ip: string;
  @ApiProperty({ nullable: true, example: 'curl/8.5.0' }) userAgent: string | null;
  @ApiProperty() success: boolean;
  @ApiProperty({ nullable: true, example: 'wrong_password' }) reason: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class MeDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ example: 'admin@example.com' }) email: string;
  @ApiProperty({ format: 'uuid' }) roleId: string;
  @ApiProperty({ example: 'Admin' }) roleName: string;
  @ApiProperty({ type: [String], format: 'uuid' }) teamIds: string[];
  @ApiProperty({
    description: 'The role permissions in force',
    example: { admin: false, entities: {}, fields: {} },
  })
  permissions: Record<string, unknown>;
}
