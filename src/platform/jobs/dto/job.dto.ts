import { ApiProperty } from '@nestjs/swagger';
import { ListMetaDto } from '#platform/records/dto/list.dto.js';
import { JOB_STATES, type JobState } from '../job.types.js';

export class JobDto {
  @ApiProperty({ format: 'uuid', example: '0192f3a1-7c2e-7d41-9a55-3f1f0c9b8e21' }) id: string;
  @ApiProperty({ maxLength: 100, example: 'webhooks.deliver' }) queue: string;
  @ApiProperty({
    enum: JOB_STATES,
    example: 'failed',
    description: '`failed` is the dead-letter state: the retries are used up',
  })
  state: JobState;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { deliveryId: '0192f3a1-7c2e-7d41-9a55-3f1f0c9b8e30' },
  })
  payload: Record<string, unknown>;
  @ApiProperty({ example: 6, description: 'Runs started so far' }) attempts: number;
  @ApiProperty({ example: 5, description: 'Retries allowed after the first attempt' })
  retryLimit: number;
  @ApiProperty({
    format: 'date-time',
    example: '2026-03-01T09:30:00.000Z',
    description: 'When the job is (or was) due',
  })
  runAt: string;
  @ApiProperty({
    maxLength: 10000,
    type: String,
    nullable: true,
    example: 'connect ECONNREFUSED 10.1.2.3:443',
  })
  lastError: string | null;
  @ApiProperty({
    maxLength: 500,
    type: String,
    nullable: true,
    example: 'schedule:jobs.cleanup@2026-03-01T09:23:00.000Z',
  })
  singletonKey: string | null;
  @ApiProperty({
    maxLength: 200,
    type: String,
    nullable: true,
    example: 'crm-worker-1:4123',
    description: 'Process that runs or last ran it',
  })
  lockedBy: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T09:00:00.000Z' }) createdAt: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-03-01T09:30:00.000Z',
  })
  startedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  completedAt: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-03-01T09:30:01.000Z',
  })
  failedAt: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T09:30:01.000Z' }) updatedAt: string;
}

export class JobListDto {
  @ApiProperty({ type: [JobDto], maxItems: 500 }) data: JobDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}
