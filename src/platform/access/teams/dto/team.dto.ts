import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { ListMetaDto } from '#platform/records/dto/list.dto.js';

export class CreateTeamDto {
  @ApiProperty({
    example: 'Jakarta enterprise sales',
    maxLength: 100,
    description: 'Unique, case-insensitive',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({
    example: 'Key accounts in Greater Jakarta',
    maxLength: 1000,
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string | null;
}

export class UpdateTeamDto {
  @ApiPropertyOptional({ example: 'Jakarta enterprise sales', maxLength: 100 })
  @ValidateIf((_: object, v: unknown) => v !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ example: 'Key accounts in Jabodetabek', maxLength: 1000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string | null;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    example: '0192f3a1-5b6c-7d41-9a55-3f1f0c9b8e20',
    description:
      'Who owns the records that assignment rules cannot place for this team: an active member. ' +
      'Removing them from the team clears it; null clears it too',
  })
  @IsOptional()
  @IsUUID('all')
  @MaxLength(36)
  defaultOwnerId?: string | null;
}

export class AddTeamMemberDto {
  @ApiProperty({ format: 'uuid', example: '0192f3a1-5b6c-7d41-9a55-3f1f0c9b8e20' })
  @IsUUID('all')
  @MaxLength(36)
  userId: string;
}

export class TeamDto {
  @ApiProperty({ format: 'uuid', example: '0192f3a1-7c2e-7d41-9a55-3f1f0c9b8e21' }) id: string;
  @ApiProperty({ example: 'Jakarta enterprise sales' }) name: string;
  @ApiProperty({ example: 'Key accounts in Greater Jakarta', nullable: true })
  description: string | null;
  @ApiProperty({
    type: [String],
    format: 'uuid',
    example: ['0192f3a1-5b6c-7d41-9a55-3f1f0c9b8e20'],
    description: 'Users in the team (deleted users are left out)',
  })
  memberIds: string[];
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    example: '0192f3a1-5b6c-7d41-9a55-3f1f0c9b8e20',
    description: 'Owns the records that assignment rules cannot place for the team (see PATCH)',
  })
  defaultOwnerId: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-02-01T08:00:00.000Z' }) createdAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T09:30:00.000Z' }) updatedAt: string;
  @ApiProperty({ example: 2 }) version: number;
}

export class TeamListDto {
  @ApiProperty({ type: [TeamDto] }) data: TeamDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}
