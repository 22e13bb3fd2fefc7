import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import { MARKETING_SECTION, MessageDispatch } from '#operational/marketing/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import { TokenService } from '#platform/auth/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import { EventBus, EventOutbox, type DomainEvent } from '#platform/events/index.js';
import { AppError, QueryParams } from '#platform/http/index.js';
import { JobsService } from '#platform/jobs/index.js';
import { SqlParams } from '#platform/query/index.js';
import { querySchemaOf } from '#platform/records/index.js';
import { CASE_DEFINITION } from '../cases/case.definition.js';
import { nextDay, startOfDay } from '../field-service/local-time.js';
import { CSAT_SECTION, type CsatConfig } from './csat.config.js';
import { CSAT_ANSWERED } from './csat.events.js';
import { CsatTokens } from './csat-tokens.js';
import type { AnswerCsatDto, CsatReportDto, CsatSurveyDto } from './dto/csat.dto.js';

const QUEUE = 'service.csat';

type SurveyRow = {
  id: string;
  case_id: string;
  contact_id: string;
  agent_id: string | null;
  queue_id: string | null;
  status: 'sent' | 'held' | 'answered';
  expires_at: Date;
  expired: boolean;
  number: string;
  subject: string;
};

const avg = (v: string | null) => (v === null ? null : new Decimal(v).toFixed(2));

/**
 * Satisfaction surveys: when a case is resolved, its contact is invited (after
 * `csat.delayMinutes`) through the marketing gate, so consent, quiet hours and frequency caps
 * apply; a survey the gate holds back is recorded with the reason. The link answers once, until
 * it expires; scores are reported by agent and queue.
 */
@Injectable()
export class CsatService implements OnModuleInit {
  private readonly logger = new Logger('Csat');
  private readonly config: CsatConfig;
  private readonly baseUrl: string;
  private readonly links: CsatTokens;

  constructor(
    private readonly db: DatabaseService,
    private readonly bus: EventBus,
    private readonly jobs: JobsService,
    private readonly dispatch: MessageDispatch,
    private readonly outbox: EventOutbox,
    private readonly permissions: PermissionEvaluator,
    tokens: TokenService,
    @Inject(CRM_CONFIG) private readonly crm: CrmConfig,
  ) {
    this.config = CSAT_SECTION.read(crm);
    this.baseUrl = MARKETING_SECTION.read(crm).publicBaseUrl;
    // Read when the first link is made or checked, not at start: the secret may live in the database.
    this.links = new CsatTokens(() => tokens.getSecret());
  }

  onModuleInit(): void {
    this.jobs.work<{ caseId: string }>(QUEUE, (job) => this.invite(job.payload.caseId));
    if (!this.config.enabled) return;
    this.bus.subscribe({
      name: 'csat.invite-on-resolved',
      types: ['case.status_changed'],
      handle: (event) => this.onStatusChanged(event),
    });
  }

  private async onStatusChanged(event: DomainEvent): Promise<void> {
    if (event.data.to !== 'resolved' || !event.data.contactId) return;
    await this.jobs.enqueue(
      RequestContext.system(),
      QUEUE,
      { caseId: event.recordId },
      { delayMs: this.config.delayMinutes * 60_000, singletonKey: `csat:${event.recordId}` },
    );
  }

  /** One survey per case, however often it is resolved. */
  async invite(caseId: string): Promise<void> {
    const ctx = RequestContext.system();
    const c = await this.db.one<{
      number: string;
      subject: string;
      contact_id: string | null;
      assignee_id: string | null;
      queue_id: string | null;
      resolved_at: Date | null;
    }>(
      ctx,
      `SELECT number, subject, contact_id, assignee_id, queue_id, resolved_at FROM cases
        WHERE id = $1 AND deleted_at IS NULL`,
      [caseId],
    );
    if (!c?.contact_id) return;
    const id = uuidv7();
    const made = await this.db.query(
      ctx,
      `INSERT INTO case_csat_surveys (id, case_id, contact_id, agent_id, queue_id, status, resolved_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, 'sent', coalesce($6, now()), now() + make_interval(days => $7))
       ON CONFLICT (case_id) DO NOTHING RETURNING id`,
      [id, caseId, c.contact_id, c.assignee_id, c.queue_id, c.resolved_at, this.config.linkTtlDays],
    );
    if (made.length === 0) return;
    const link = `${this.baseUrl}/api/v1/public/csat/${await this.links.sign(id)}`;
    const result = await this.dispatch.enqueue(
      {
        sourceKey: `survey:${caseId}`,
        contactId: c.contact_id,
        purpose: this.config.purpose,
        subject: `How did we do with ${c.number}?`,
        text:
          `Your request "${c.subject}" (${c.number}) was resolved. ` +
          `Please tell us how satisfied you are, from 1 to 5:\n\n${link}\n`,
      },
      ctx,
    );
    if (result.status === 'held') {
      await this.db.query(
        ctx,
        `UPDATE case_csat_surveys SET status = 'held', hold_reason = $2 WHERE id = $1`,
        [id, result.reason],
      );
      this.logger.log(`survey for case ${c.number} held back: ${result.reason}`);
    }
  }

  private async survey(ctx: RequestContext, token: string, lock = false): Promise<SurveyRow> {
    const id = await this.links.verify(token);
    const row = await this.db.one<SurveyRow>(
      ctx,
      `SELECT s.id, s.case_id, s.contact_id, s.agent_id, s.queue_id, s.status, s.expires_at,
              s.expires_at <= now() AS expired, c.number, c.subject
         FROM case_csat_surveys s JOIN cases c ON c.id = s.case_id
        WHERE s.id = $1::text::uuid ${lock ? 'FOR UPDATE OF s' : ''}`,
      [/^[0-9a-f-]{36}$/i.test(id) ? id : '00000000-0000-0000-0000-000000000000'],
    );
    if (!row) throw new AppError('csat_link_invalid');
    return row;
  }

  async read(ctx: RequestContext, token: string): Promise<CsatSurveyDto> {
    const s = await this.survey(ctx, token);
    return {
      caseNumber: s.number,
      subject: s.subject,
      expiresAt: s.expires_at.toISOString(),
      answered: s.status === 'answered',
    };
  }

  async answer(ctx: RequestContext, token: string, body: AnswerCsatDto): Promise<void> {
    await this.db.transaction(ctx, async (tx) => {
      const s = await this.survey(tx, token, true);
      if (s.status === 'answered') throw new AppError('csat_already_answered');
      if (s.expired) {
        const expiredAt = s.expires_at.toISOString();
        throw new AppError('csat_link_expired', { expiredAt }, undefined, { expiredAt });
      }
      await this.db.query(
        tx,
        `UPDATE case_csat_surveys SET status = 'answered', score = $2, comment = $3, answered_at = now()
          WHERE id = $1`,
        [s.id, body.score, body.comment ?? null],
      );
      await this.outbox.append(tx, [
        CSAT_ANSWERED.of(s.case_id, {
          surveyId: s.id,
          contactId: s.contact_id,
          agentId: s.agent_id,
          queueId: s.queue_id,
          score: body.score,
        }),
      ]);
    });
  }

  /** GET /cases/reports/csat?from&to: answers in the period (days in the organization's zone). */
  async report(ctx: RequestContext, query: Record<string, unknown>): Promise<CsatReportDto> {
    const scope = this.permissions.require(ctx.user, 'cases', 'read');
    const params = new QueryParams(query, ['from', 'to']);
    const from = params.date('from', true);
    const to = params.date('to', true);
    if (from && to && to < from) params.fail('to', 'min', 'must not be before from');
    params.done();
    const zone = this.crm.organization.timeZone;
    const sql = new SqlParams();
    const start = sql.add(startOfDay(from!, zone));
    const end = sql.add(startOfDay(nextDay(to!), zone));
    const reach = this.permissions.scopeSql(
      ctx.user,
      scope,
      querySchemaOf(CASE_DEFINITION),
      'cs',
      sql,
    );
    const within = `FROM case_csat_surveys s JOIN cases cs ON cs.id = s.case_id AND ${reach}`;
    const rows = await this.db.query<{
      grp: string;
      id: string | null;
      count: string;
      average: string | null;
    }>(
      ctx,
      `SELECT 'score' AS grp, s.score::text AS id, count(*) AS count, NULL AS average ${within}
        WHERE s.answered_at >= ${start} AND s.answered_at < ${end} GROUP BY s.score
       UNION ALL
       SELECT 'agent', s.agent_id::text, count(*), avg(s.score)::text ${within}
        WHERE s.answered_at >= ${start} AND s.answered_at < ${end} GROUP BY s.agent_id
       UNION ALL
       SELECT 'queue', s.queue_id::text, count(*), avg(s.score)::text ${within}
        WHERE s.answered_at >= ${start} AND s.answered_at < ${end} GROUP BY s.queue_id
       UNION ALL
       SELECT 'all', NULL, count(*), avg(s.score)::text ${within}
        WHERE s.answered_at >= ${start} AND s.answered_at < ${end}
       UNION ALL
       SELECT 'held', NULL, count(*), NULL ${within}
        WHERE s.status = 'held' AND s.created_at >= ${start} AND s.created_at < ${end}`,
      sql.values,
    );
    const group = (g: string) =>
      rows
        .filter((r) => r.grp === g)
        .map((r) => ({ id: r.id, count: Number(r.count), average: avg(r.average) }))
        .sort((a, b) => b.count - a.count || String(a.id).localeCompare(String(b.id)));
    const all = rows.find((r) => r.grp === 'all');
    const distribution: Record<string, number> = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
    for (const r of rows.filter((x) => x.grp === 'score')) distribution[r.id!] = Number(r.count);
    return {
      from: from!,
      to: to!,
      count: Number(all?.count ?? 0),
      average: avg(all?.average ?? null),
      distribution,
      byAgent: group('agent'),
      byQueue: group('queue'),
      heldBack: Number(rows.find((r) => r.grp === 'held')?.count ?? 0),
    };
  }
}
