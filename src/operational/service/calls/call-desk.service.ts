import { Inject, Injectable, Optional } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { QueryParams } from '#platform/http/index.js';
import { nextDay, startOfDay } from '../field-service/local-time.js';
import { CallsRepository } from './calls.repository.js';
import { CallsService } from './calls.service.js';
import { CALL_CASES, NO_CASES, type CallCasesSource } from './open-cases.js';
import { phoneKeysOf } from './phone-numbers.js';

const rate = (part: number, whole: number) =>
  whole ? Math.round((part / whole) * 10_000) / 10_000 : null;

/** The agent's desk: who is calling (screen-pop) and how the agents did (report). */
@Injectable()
export class CallDeskService {
  constructor(
    private readonly calls: CallsService,
    private readonly repository: CallsRepository,
    private readonly permissions: PermissionEvaluator,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
    @Optional() @Inject(CALL_CASES) private readonly cases: CallCasesSource = NO_CASES,
  ) {}

  /** GET /calls/lookup?number=: matching contacts with account, open cases and latest orders. */
  async lookup(ctx: RequestContext, query: Record<string, unknown>) {
    this.permissions.require(ctx.user, 'contacts', 'read');
    const params = new QueryParams(query, ['number']);
    const raw = params.text('number', true);
    params.done();
    const started = process.hrtime.bigint();
    const number = this.calls.normalize(raw!);
    const rows = await this.repository.lookup(ctx, phoneKeysOf(number));
    const open = rows.length
      ? await this.cases.openCasesOf(
          ctx,
          rows.map((r) => r.id),
        )
      : new Map<string, never[]>();
    const tookMs = Number(process.hrtime.bigint() - started) / 1e6;
    return {
      number,
      contacts: rows.map((r) => ({ ...r, openCases: open.get(r.id) ?? [] })),
      meta: { tookMs: Math.round(tookMs * 100) / 100 },
    };
  }

  /** GET /calls/reports/agents?from&to: days inclusive, in the organization's time zone. */
  async agentReport(ctx: RequestContext, query: Record<string, unknown>) {
    this.permissions.require(ctx.user, 'calls', 'read');
    const params = new QueryParams(query, ['from', 'to']);
    const from = params.date('from', true);
    const to = params.date('to', true);
    if (from && to && to < from) params.fail('to', 'min', 'must not be before from');
    params.done();
    const zone = this.config.organization.timeZone;
    const rows = await this.repository.agents(
      ctx,
      startOfDay(from!, zone),
      startOfDay(nextDay(to!), zone),
    );
    const resolved = await this.cases.resolvedAmong(ctx, [
      ...new Set(rows.flatMap((r) => r.singleCallCaseIds)),
    ]);
    return {
      from: from!,
      to: to!,
      timeZone: zone,
      agents: rows.map((r) => {
        const firstCall = r.singleCallCaseIds.filter((id) => resolved.has(id)).length;
        return {
          agentId: r.agentId,
          agentName: r.agentName,
          calls: r.calls,
          answered: r.answered,
          answeredRate: rate(r.answered, r.calls),
          averageHandleSeconds: r.averageHandleSeconds,
          cases: r.caseIds.length,
          firstCallResolutions: firstCall,
          firstCallResolutionRate: rate(firstCall, r.caseIds.length),
        };
      }),
    };
  }
}
