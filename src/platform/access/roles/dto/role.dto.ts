import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { ListMetaDto } from '#platform/records/dto/list.dto.js';

const SCOPES = ['none', 'own', 'team', 'all'];

export class EntityGrantDto {
  @ApiPropertyOptional({ enum: SCOPES, default: 'none', example: 'own' }) create?: string;
  @ApiPropertyOptional({ enum: SCOPES, default: 'none', example: 'team' }) read?: string;
  @ApiPropertyOptional({ enum: SCOPES, default: 'none', example: 'own' }) update?: string;
  @ApiPropertyOptional({ enum: SCOPES, default: 'none', example: 'none' }) delete?: string;
  @ApiPropertyOptional({
    default: false,
    example: false,
    description: 'May change ownerId / teamId of records it may update',
  })
  reassign?: boolean;
}

const PERMISSIONS_EXAMPLE = {
  admin: false,
  entities: {
    accounts: { create: 'own', read: 'team', update: 'own', delete: 'none', reassign: false },
    contacts: { create: 'own', read: 'team', update: 'own', delete: 'own', reassign: false },
  },
  fields: { accounts: { annualRevenue: 'hidden' }, contacts: { lifecycleStage: 'read-only' } },
};

@ApiExtraModels(EntityGrantDto)
export class RolePermissionsDto {
  @ApiPropertyOptional({
    default: false,
    description: 'Administers users, teams and roles, sees every record and field',
  })
  admin?: boolean;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(EntityGrantDto) },
    description:
      'Per entity (accounts, contacts, …): a scope for each action; a missing action is none',
    example: PERMISSIONS_EXAMPLE.entities,
  })
  entities?: Record<string, EntityGrantDto>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: {
      type: 'object',
      additionalProperties: { type: 'string', enum: ['hidden', 'read-only'] },
    },
    description: 'Per entity and attribute: hidden (never shown, not filterable) or read-only',
    example: PERMISSIONS_EXAMPLE.fields,
  })
  fields?: Record<string, Record<string, 'hidden' | 'read-only'>>;
}

export class CreateRoleDto {
  @ApiProperty({ example: 'Field sales', maxLength: 100, description: 'Unique, case-insensitive' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({
    type: 'string',
    example: 'Visits customers; sees their team’s accounts',
    maxLength: 1000,
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string | null;

  @ApiProperty({ type: RolePermissionsDto, example: PERMISSIONS_EXAMPLE })
  @IsObject()
  permissions: Record<string, unknown>;
}

export class UpdateRoleDto {
  @ApiPropertyOptional({ example: 'Field sales', maxLength: 100 })
  @ValidateIf((_: object, v: unknown) => v !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 1000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string | null;

  @ApiPropertyOptional({
    type: RolePermissionsDto,
    description: 'Replaces the permissions as a whole',
    example: PERMISSIONS_EXAMPLE,
  })
  @ValidateIf((_: object, v: unknown) => v !== undefined)
  @IsObject()
  permissions?: Record<string, unknown>;
}

export class RoleDto {
  @ApiProperty({ format: 'uuid', example: '0192f000-0000-7000-8000-000000000003' }) id: string;
  @ApiProperty({
    maxLength: 1000,
    type: 'string',
    nullable: true,
    example: 'sales_rep',
    description: 'Stable key of a built-in role; null for custom roles',
  })
  key: string | null;
  @ApiProperty({ maxLength: 100, example: 'Sales rep' }) name: string;
  @ApiProperty({
    type: 'string',
    maxLength: 1000,
    nullable: true,
    example: 'Works their own and their team’s customers.',
  })
  description: string | null;
  @ApiProperty({ example: true, description: 'Built-in roles can be edited but not deleted' })
  builtIn: boolean;
  @ApiProperty({ type: RolePermissionsDto, example: PERMISSIONS_EXAMPLE })
  permissions: RolePermissionsDto;
  @ApiProperty({ example: 4, description: 'Users holding the role' }) userCount: number;
  @ApiProperty({ format: 'date-time', example: '2026-02-01T08:00:00.000Z' }) createdAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T09:30:00.000Z' }) updatedAt: string;
  @ApiProperty({ example: 1 }) version: number;
}

export class RoleListDto {
  @ApiProperty({ type: [RoleDto], maxItems: 500 }) data: RoleDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}
