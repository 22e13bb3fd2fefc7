import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CustomFieldsOf } from '../custom-fields.validator.js';
import { RecordResponse } from '../../records/dto/record-response.dto.js';

/** Body of any custom object: a name, a description, ownership, and its declared fields. */
export class CreateCustomObjectDto {
  @ApiProperty({ example: 'Warehouse migration', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ maxLength: 10000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string | null;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  ownerId?: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID('all')
  teamId?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @CustomFieldsOf('custom-object')
  customFields?: Record<string, unknown>;
}

export class UpdateCustomObjectDto extends PartialType(CreateCustomObjectDto) {}

export class CustomObjectDto extends RecordResponse(CreateCustomObjectDto) {}
