import { Controller, Get, Header, Res } from '@nestjs/common';
import {
  ApiExcludeEndpoint,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '#platform/auth/auth.guard.js';
import { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import type { QueueStats } from '#platform/jobs/job.types.js';
import { JobsService } from '#platform/jobs/jobs.service.js';
import { metricsRegistry } from '#platform/observability/metrics.js';
import { ReadReplica } from '#platform/database/read-replica.js';
import { Readiness } from './readiness.js';

@ApiTags('Health')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: Readiness,
    private readonly db: DatabaseService,
    private readonly jobs: JobsService,
    private readonly replica: ReadReplica,
  ) {}

  /** Never touches the database: a slow or absent database must not get the process restarted. */
  @Get('health/live')
  @ApiOperation({ summary: 'Liveness: the process is serving', operationId: 'live' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @ApiOperation({
    summary: 'Readiness: migrations done, database reachable, job queue readable',
    operationId: 'ready',
    description:
      'The queue part reports whether this process runs workers and how many jobs are pending, running and dead-lettered (counts stop at 10000); a backlog does not make the process unready. `readReplica` says how the read replica (DATABASE_READ_URL) stands: none, up, lagging (further behind than CRM_READ_REPLICA_MAX_LAG_MS), down or not_a_standby; reads then go to the primary, so it never makes the process unready.',
  })
  @ApiOkResponse({
    schema: {
      example: {
        status: 'ready',
        database: 'up',
        readReplica: 'up',
        queue: {
          status: 'up',
          workers: 'running',
          pending: 3,
          active: 1,
          failed: 0,
          oldestDueSeconds: 0,
        },
      },
    },
  })
  @ApiServiceUnavailableResponse({
    schema: { example: { status: 'migrating', database: 'up', queue: { status: 'unknown' } } },
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const database =
      this.readiness.isReady && (await this.db.ping())
        ? 'up'
        : this.readiness.isReady
          ? 'down'
          : 'unknown';
    const queue = database === 'up' ? await this.queueStats() : { status: 'unknown' as const };
    const ok = this.readiness.isReady && database === 'up' && queue.status === 'up';
    void reply.status(ok ? 200 : 503);
    return {
      status: ok ? 'ready' : this.readiness.isReady ? 'degraded' : this.readiness.state,
      database,
      readReplica: await this.replica.state(),
      queue,
    };
  }

  private async queueStats(): Promise<QueueStats | { status: 'down' }> {
    try {
      return await this.jobs.stats(RequestContext.system());
    } catch {
      return { status: 'down' };
    }
  }

  @Get('metrics')
  @ApiExcludeEndpoint()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
