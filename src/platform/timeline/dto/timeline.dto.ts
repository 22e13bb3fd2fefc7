import { ApiProperty } from '@nestjs/swagger';
import { ListMetaDto } from '#platform/records/dto/list.dto.js';

export class RecordRefDto {
  @ApiProperty({ example: 'contacts' }) entity: string;
  @ApiProperty({ format: 'uuid' }) id: string;
}

export class TimelineEntryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    example: 'note',
    description:
      'The kind of entry, as the module that wrote it names it (e.g. note, call, email); every module adds its own',
  })
  type: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ example: 'Notes from the call with Budi' }) title: string;
  @ApiProperty({ type: RecordRefDto, description: 'The record the entry describes' })
  source: RecordRefDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { status: 'completed', direction: 'outbound', outcome: 'connected' },
    description: 'A summary that depends on the type',
  })
  data: Record<string, unknown>;
  @ApiProperty({ format: 'uuid', nullable: true }) actorId: string | null;
}

export class TimelinePageDto {
  @ApiProperty({ type: [TimelineEntryDto] }) data: TimelineEntryDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}
