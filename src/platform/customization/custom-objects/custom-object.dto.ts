import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { RecordResponse } from '#platform/records/dto/record-response.dto.js';
import {
  CustomFieldsInput,
  OwnerIdInput,
  TeamIdInput,
} from '#platform/records/dto/record-input-fields.js';

/** Body of any custom object: a name, a description, ownership, and its declared fields. */
export class CreateCustomObjectDto {
  @ApiProperty({ example: 'Warehouse migration', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 10000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string | null;

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('custom-object')
  customFields?: Record<string, unknown>;
}

export class UpdateCustomObjectDto extends PartialType(CreateCustomObjectDto) {}

export class CustomObjectDto extends RecordResponse(CreateCustomObjectDto) {}
