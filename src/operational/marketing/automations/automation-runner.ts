import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CONTACT_DEFINITION } from '#operational/customers/index.js';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventBus, EventOutbox, type DomainEvent } from '#platform/events/index.js';
import { JobsService } from '#platform/jobs/index.js';
import type { Env } from '#platform/config/index.js';
import { ENV } from '#platform/config/index.js';
import { SqlParams } from '#platform/query/index.js';
import { RecordService, type ApiRecord } from '#platform/records/index.js';
import { CampaignMembersService } from '../campaigns/index.js';
import { MessageDispatch } from '../email/message-dispatch.js';
import { sendRendered, TextDispatch } from '../email/text-dispatch.js';
import { ContactAccess } from '../preferences/contact-access.js';
import { SegmentRules } from '../segments/index.js';
import {
  MESSAGE_TEMPLATE_DEFINITION,
  MessageTemplatesService,
  MissingMergeField,
} from '../templates/index.js';
import { AUTOMATION_DEFINITION } from './automation.definition.js';
import {
  AutomationRunsRepository,
  type RunRow,
  type StepOutcome,
} from './automation-runs.repository.js';
import { AutomationTaskStep, type StepRun } from './automation-task-step.js';
import {
  AutomationWebhookStep,
  WEBHOOK_STEP_ATTEMPTS,
  type WebhookAttempt,
  type WebhookTry,
} from './automation-webhook-step.js';
import {
  eventMatches,
  successors,
  waitSeconds,
  type Condition,
  type Step,
} from './automation-steps.js';
import { AUTOMATION_RUN_FINISHED, AUTOMATION_RUN_STARTED } from './automations.events.js';

export const AUTOMATION_STEP_QUEUE = 'marketing.automation-step';

interface StepJob {
  runId: string;
  seq: number;
  stepId: string;
}

type Outcome = { outcome: StepOutcome; detail: Record<string, unknown>; next?: string | null };

/** What a step job's handler knows of its own run: which try this is and when to give up. */
type JobRun = { attempt: number; retryLimit: number; signal: AbortSignal };

/**
 * Runs automations. Every domain event is matched against the active automations that wait
 * for its type; a contact whose conditions hold enters (as often as the entry policy's unique
 * key in SQL lets them) and each step then runs as a job of its own: a wait is the next job
 * scheduled in the future, so a restart resumes every run where it stood. A step and the job
 * of the step after it commit together, and a step run again after a crash finds its row.
 */
@Injectable()
export class AutomationRunner implements OnModuleInit {
  private readonly logger = new Logger('Automations');

  constructor(
    private readonly db: DatabaseService,
    private readonly bus: EventBus,
    private readonly jobs: JobsService,
    private readonly outbox: EventOutbox,
    private readonly records: RecordService,
    private readonly runs: AutomationRunsRepository,
    private readonly access: ContactAccess,
    private readonly rules: SegmentRules,
    private readonly templates: MessageTemplatesService,
    private readonly dispatch: MessageDispatch,
    private readonly texts: TextDispatch,
    private readonly members: CampaignMembersService,
    private readonly tasks: AutomationTaskStep,
    private readonly webhooks: AutomationWebhookStep,
    @Inject(ENV) private readonly env: Env,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe({ name: 'automations.trigger', types: ['*'], handle: (e) => this.enter(e) });
    this.jobs.work<StepJob>(AUTOMATION_STEP_QUEUE, (job) => this.step(job.payload, job), {
      concurrency: 2,
    });
  }

  /** Starts a run of every active automation the event triggers and whose conditions hold. */
  async enter(event: DomainEvent): Promise<void> {
    if (event.type.startsWith('automation.')) return;
    const ctx = RequestContext.system();
    const automations = await this.runs.activeFor(ctx, event.type);
    if (automations.length === 0) return;
    const contactId = await this.contactOf(ctx, event);
    if (!contactId) return;
    for (const a of automations) {
      const condition = a.condition as Condition;
      if (condition.event && !eventMatches(condition.event, event.data)) continue;
      if (condition.contact && !(await this.contactMatches(ctx, contactId, condition.contact)))
        continue;
      await this.db.transaction(ctx, async (tx) => {
        const runId = await this.runs.start(tx, {
          automationId: a.id,
          contactId,
          entryKey: this.entryKey(a, contactId, event),
          event,
        });
        if (runId) await this.begin(tx, a, runId, contactId, event.type);
      });
    }
  }

  /** A run that has just started: its event, and the job of its first step. */
  async begin(
    tx: RequestContext,
    a: ApiRecord,
    runId: string,
    contactId: string,
    eventType: string,
  ): Promise<void> {
    const steps = a.steps as Step[];
    await this.outbox.append(tx, [
      AUTOMATION_RUN_STARTED.of(a.id, { automationId: a.id, runId, contactId, eventType }),
    ]);
    await this.schedule(tx, { runId, seq: 1, stepId: steps[0].id }, steps[0], 0);
  }

  /** What the entry policy counts: the contact, the contact in this period, or the event. */
  private entryKey(a: ApiRecord, contactId: string, event: DomainEvent): string {
    switch (a.entryPolicy) {
      case 'every_time':
        return `event:${event.id}`;
      case 'once_per_period': {
        const periodMs = (a.entryPeriodDays as number) * 86_400_000;
        return `${contactId}:${Math.floor(Date.parse(event.occurredAt) / periodMs)}`;
      }
      default:
        return contactId;
    }
  }

  /** The contact an event is about: a contact itself, the record's contact, or its e-mail's. */
  private async contactOf(ctx: RequestContext, event: DomainEvent): Promise<string | null> {
    if (event.entity === 'contacts') return event.recordId;
    const data = event.data as { contactId?: string; record?: Record<string, unknown> };
    const id = data.contactId ?? (data.record?.contactId as string | undefined);
    if (typeof id === 'string') return id;
    const email = data.record?.email;
    if (typeof email !== 'string') return null;
    const row = await this.db.one<{ id: string }>(
      ctx,
      `SELECT id FROM contacts WHERE lower(email) = lower($1) AND deleted_at IS NULL ORDER BY id LIMIT 1`,
      [email],
    );
    return row?.id ?? null;
  }

  private async contactMatches(
    ctx: RequestContext,
    contactId: string,
    rule: Record<string, unknown>,
  ): Promise<boolean> {
    const params = new SqlParams();
    const predicate = this.rules.compile(null, this.rules.check(null, rule, '/contact'), params);
    const row = await this.db.one(
      ctx,
      `SELECT 1 FROM contacts c WHERE c.id = ${params.add(contactId)}::uuid AND c.deleted_at IS NULL AND ${predicate}`,
      params.values,
    );
    return row !== null;
  }

  /** A webhook step's job retries (with the queue's doubling backoff) when its receiver fails. */
  private async schedule(tx: RequestContext, job: StepJob, step: Step, delaySeconds: number) {
    await this.jobs.enqueue(tx, AUTOMATION_STEP_QUEUE, job, {
      singletonKey: `${job.runId}:${job.seq}`,
      delayMs: delaySeconds * 1000,
      ...(step.type === 'webhook'
        ? { retryLimit: WEBHOOK_STEP_ATTEMPTS - 1, retryDelayMs: this.env.webhookRetryBaseMs }
        : {}),
    });
  }

  /** The run, when it still waits for this step, and the step as the automation now says. */
  private async load(ctx: RequestContext, job: StepJob, lock: boolean) {
    const run = lock
      ? await this.runs.lockRun(ctx, job.runId)
      : await this.runs.oneById(ctx, job.runId);
    if (!run || !['running', 'waiting'].includes(run.status)) return null;
    if (await this.runs.hasStep(ctx, job.runId, job.seq)) return null;
    const automation = await this.access.systemRecord(ctx, AUTOMATION_DEFINITION, run.automationId);
    const steps = (automation?.steps as Step[] | undefined) ?? [];
    const index = steps.findIndex((s) => s.id === job.stepId);
    const live = !!automation && automation.status === 'active' && index >= 0;
    return { run, steps, index, live };
  }

  /**
   * A webhook step calls its receiver before the step's transaction, so no row stays locked
   * while a slow receiver answers. A try that may pass later is kept on the step's row and
   * the job fails, for the queue to try again after its backoff; the last try, or an answer
   * that will not change, settles the step in the transaction below.
   */
  private async callWebhook(job: StepJob, jobRun: JobRun): Promise<WebhookTry | undefined> {
    const ctx = RequestContext.system();
    const due = await this.load(ctx, job, false);
    if (!due?.live || due.steps[due.index].type !== 'webhook') return undefined;
    const step = due.steps[due.index];
    const sent = await this.webhooks.attempt(due.run, step, jobRun.attempt, jobRun.signal);
    if (jobRun.signal.aborted) throw new Error('stopped before the webhook receiver answered');
    if (sent.ok || !sent.retryable || jobRun.attempt > jobRun.retryLimit) return sent;
    await this.db.transaction(ctx, async (tx) => {
      const attempts = await this.attemptsSoFar(tx, job);
      await this.runs.recordStep(tx, job.runId, job.seq, step, 'retrying', {
        url: step.url,
        attempts: [...attempts, attemptOf(sent)],
      });
    });
    throw new Error(`webhook step ${step.id} of run ${job.runId}: ${sent.error ?? 'failed'}`);
  }

  private async attemptsSoFar(tx: RequestContext, job: StepJob): Promise<WebhookAttempt[]> {
    const detail = await this.runs.retrying(tx, job.runId, job.seq);
    return (detail?.attempts as WebhookAttempt[] | undefined) ?? [];
  }

  /** Runs one step of a run, records it, and schedules the next in the same transaction. */
  async step(job: StepJob, jobRun?: JobRun): Promise<void> {
    const ctx = RequestContext.system();
    const sent = await this.callWebhook(
      job,
      jobRun ?? { attempt: 1, retryLimit: 0, signal: new AbortController().signal },
    );
    await this.db.transaction(ctx, async (tx) => {
      const due = await this.load(tx, job, true);
      if (!due) return;
      const { run, steps, index } = due;
      if (!due.live) {
        await this.runs.finish(tx, job.runId, 'stopped');
        return;
      }
      const step = steps[index];
      let result: Outcome;
      try {
        result =
          step.type === 'webhook'
            ? await this.webhookOutcome(tx, job, step, sent)
            : await this.perform(tx, run, step);
      } catch (e) {
        this.logger.warn(`run ${run.id} step ${step.id}: ${(e as Error).message}`);
        result = { outcome: 'failed', detail: { error: (e as Error).message.slice(0, 500) } };
      }
      await this.runs.recordStep(tx, job.runId, job.seq, step, result.outcome, result.detail);
      const next =
        result.outcome === 'failed'
          ? null
          : result.next !== undefined
            ? result.next
            : successors(steps, index)[0];
      if (next) {
        const wait = step.type === 'wait' ? waitSeconds(step) : 0;
        await this.runs.setStatus(tx, job.runId, wait > 0 ? 'waiting' : 'running');
        const nextStep = steps.find((s) => s.id === next)!;
        await this.schedule(
          tx,
          { runId: job.runId, seq: job.seq + 1, stepId: next },
          nextStep,
          wait,
        );
        return;
      }
      const status = result.outcome === 'failed' ? 'failed' : 'completed';
      await this.runs.finish(tx, job.runId, status);
      await this.outbox.append(tx, [
        AUTOMATION_RUN_FINISHED.of(run.automationId, {
          automationId: run.automationId,
          runId: run.id,
          contactId: run.contactId,
          eventType: run.eventType,
          status,
        }),
      ]);
    });
  }

  private async webhookOutcome(
    tx: RequestContext,
    job: StepJob,
    step: Step,
    sent: WebhookTry | undefined,
  ): Promise<Outcome> {
    const attempts = await this.attemptsSoFar(tx, job);
    if (sent) attempts.push(attemptOf(sent));
    return { outcome: sent?.ok ? 'done' : 'failed', detail: { url: step.url, attempts } };
  }

  private async perform(tx: RequestContext, run: RunRow, step: Step): Promise<Outcome> {
    const system = this.access.asSystem(tx);
    switch (step.type) {
      case 'wait':
        return { outcome: 'waiting', detail: { seconds: waitSeconds(step) } };
      case 'branch': {
        const c = step.if ?? {};
        const holds =
          (!c.event || eventMatches(c.event, run.event)) &&
          (!c.contact || (await this.contactMatches(tx, run.contactId, c.contact)));
        return {
          outcome: 'done',
          detail: { took: holds ? 'then' : 'else' },
          next: holds ? (step.then ?? null) : (step.else ?? null),
        };
      }
      case 'add_to_campaign':
        await this.members.ensureMember(system, step.campaignId!, run.contactId);
        return { outcome: 'done', detail: { campaignId: step.campaignId } };
      case 'assign_owner':
        await this.records.update(
          system,
          CONTACT_DEFINITION,
          run.contactId,
          { ownerId: step.userId },
          undefined,
          {},
        );
        return { outcome: 'done', detail: { ownerId: step.userId } };
      case 'update_field': {
        const [field, sub] = step.field!.split('.');
        const value = sub ? { [sub]: step.value } : step.value;
        await this.records.update(
          system,
          CONTACT_DEFINITION,
          run.contactId,
          { [field]: value },
          undefined,
          {},
        );
        return { outcome: 'done', detail: { field: step.field } };
      }
      case 'send_template':
        return this.send(tx, run, step);
      case 'create_task':
        return this.tasks.perform(tx, run, step);
      case 'webhook':
        throw new Error('a webhook step is called before its transaction');
    }
  }

  private async send(tx: RequestContext, run: StepRun, step: Step): Promise<Outcome> {
    const template = await this.access.systemRecord(
      tx,
      MESSAGE_TEMPLATE_DEFINITION,
      step.templateId!,
    );
    if (!template) return { outcome: 'failed', detail: { error: 'the template was deleted' } };
    const contact = await this.access.system(tx, run.contactId);
    const variant = await this.templates.variant(
      tx,
      template,
      await this.templates.languageOf(tx, contact),
    );
    let rendered;
    try {
      rendered = await this.templates.render(
        variant,
        await this.templates.mergeData.build(
          tx,
          { contactId: run.contactId, event: run.event },
          false,
        ),
      );
    } catch (e) {
      if (!(e instanceof MissingMergeField)) throw e;
      return { outcome: 'skipped', detail: { reason: `missing_field:${e.field}` } };
    }
    const message = {
      sourceKey: `automation:${run.automationId}:${run.id}:${step.id}`,
      contactId: run.contactId,
      purpose: 'marketing',
    };
    const result = await sendRendered(
      { email: this.dispatch, text: this.texts },
      template.channel as string,
      message,
      rendered,
      tx,
    );
    if (result.status === 'held')
      return { outcome: 'held', detail: { reason: result.reason, holdBackId: result.holdBackId } };
    return { outcome: 'done', detail: { messageId: result.message.id, templateId: variant.id } };
  }
}

const attemptOf = ({ attempt, at, status, error, durationMs }: WebhookTry): WebhookAttempt => ({
  attempt,
  at,
  status,
  error,
  durationMs,
});
