import { Controller, Get, Header, Res } from '@nestjs/common';
import {
  ApiExcludeEndpoint,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.guard.js';
import { DatabaseService } from '../database/database.service.js';
import { metricsRegistry } from '../observability/metrics.js';
import { Readiness } from './readiness.js';

@ApiTags('Health')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: Readiness,
    private readonly db: DatabaseService,
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
    summary: 'Readiness: migrations done and database reachable',
    operationId: 'ready',
  })
  @ApiOkResponse({ schema: { example: { status: 'ready', database: 'up' } } })
  @ApiServiceUnavailableResponse({ schema: { example: { status: 'migrating', database: 'up' } } })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const database =
      this.readiness.isReady && (await this.db.ping())
        ? 'up'
        : this.readiness.isReady
          ? 'down'
          : 'unknown';
    const ok = this.readiness.isReady && database === 'up';
    void reply.status(ok ? 200 : 503);
    return {
      status: ok ? 'ready' : this.readiness.isReady ? 'degraded' : this.readiness.state,
      database,
    };
  }

  @Get('metrics')
  @ApiExcludeEndpoint()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
