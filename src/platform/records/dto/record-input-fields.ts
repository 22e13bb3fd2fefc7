import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { CustomFieldsOf } from '#platform/customization/custom-fields.validator.js';

/** Declarations of the fields every record body shares, so each DTO states them the same way. */

/** `ownerId` in a create or update body. */
export function OwnerIdInput(
  description = 'Defaults to the caller; changing it needs the reassign permission',
): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ format: 'uuid', description }),
    IsOptional(),
    IsUUID('all'),
  );
}

/** `teamId` in a create or update body. */
export function TeamIdInput(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'string',
      format: 'uuid',
      nullable: true,
      description: "Defaults to the caller's first team",
    }),
    IsOptional(),
    IsUUID('all'),
  );
}

/** `customFields` in a create or update body, checked against the entity's configured fields. */
export function CustomFieldsInput(entity: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'object', additionalProperties: true, example: {} }),
    IsOptional(),
    CustomFieldsOf(entity) as PropertyDecorator,
  );
}
