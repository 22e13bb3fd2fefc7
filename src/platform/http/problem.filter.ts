import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CRM_CONFIG, ENV } from '#platform/config/config.tokens.js';
import type { CrmConfig } from '#platform/config/crm-config.js';
import type { Env } from '#platform/config/env.js';
import { renderProblem } from './problem-renderer.js';

/** The one error shape: everything thrown in a handler leaves as problem+json. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(
    @Inject(ENV) private readonly env: Env,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = renderProblem(
      exception,
      req,
      this.config.organization.defaultLocale,
      this.env.bodyLimitBytes,
    );
    if (problem.unexpected) req.log.error({ err: exception }, 'unexpected error');
    else if (problem.status >= 500)
      req.log.warn({ err: exception, code: problem.body.code }, 'request failed');
    void reply.status(problem.status).headers(problem.headers).send(JSON.stringify(problem.body));
  }
}
