import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

/**
 * A record as the server returns it: the body it was created from plus what the server owns
 * (id, audit fields, version), with the owner and custom fields always present.
 */
export function RecordResponse<Body extends Type<object>>(body: Body) {
  class RecordResponseDto extends body {
    @ApiProperty({ format: 'uuid' }) id: string;
    @ApiProperty({ format: 'uuid' }) declare ownerId: string;
    @ApiProperty({ type: 'object', additionalProperties: true }) declare customFields: Record<
      string,
      unknown
    >;
    @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) createdById: string | null;
    @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) updatedById: string | null;
    @ApiProperty({ format: 'date-time' }) createdAt: string;
    @ApiProperty({ format: 'date-time' }) updatedAt: string;
    @ApiProperty({ example: 1 }) version: number;
  }
  return RecordResponseDto;
}
