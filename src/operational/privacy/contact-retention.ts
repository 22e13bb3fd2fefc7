import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import { JobsService } from '#platform/jobs/index.js';
import { ResourceRegistry } from '#platform/records/index.js';
import { ContactErasure } from './contact-erasure.js';
import { contactReferences, pointsAtContact } from './contact-personal-data.js';
import { PRIVACY_SECTION, type PrivacyConfig } from './privacy.config.js';

export const RETENTION_QUEUE = 'privacy.retention';
const BATCH = 100;

/**
 * Erases the personal data of contacts nobody has touched for `privacy.retention.contacts.
 * afterDays`: neither the contact nor any record pointing at it (an activity, a quote, an
 * order…) changed since the cutoff. Each contact is erased in its own transaction and
 * audited as a retention erasure, so one that fails is simply tried again next run.
 */
@Injectable()
export class ContactRetention implements OnModuleInit {
  private readonly logger = new Logger('Privacy');
  private readonly settings: PrivacyConfig;

  constructor(
    private readonly db: DatabaseService,
    private readonly jobs: JobsService,
    private readonly registry: ResourceRegistry,
    private readonly erasure: ContactErasure,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {
    this.settings = PRIVACY_SECTION.read(config);
  }

  onModuleInit(): void {
    this.jobs.work(RETENTION_QUEUE, () => this.run().then(() => undefined));
    if (this.settings.retention.contacts)
      this.jobs.schedule(
        RETENTION_QUEUE,
        this.settings.retentionSchedule,
        RETENTION_QUEUE,
        {},
        {
          timeZone: this.config.organization.timeZone,
        },
      );
  }

  /** Erases every contact past retention; answers how many. */
  async run(now = new Date()): Promise<number> {
    const rule = this.settings.retention.contacts;
    if (!rule) return 0;
    const cutoff = new Date(now.getTime() - rule.afterDays * 86_400_000);
    const system = RequestContext.system();
    let erased = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const due = await this.due(system, cutoff, after);
      for (const id of due) {
        try {
          await this.erasure.erase(
            system,
            id,
            `retention: untouched for ${rule.afterDays} days`,
            'retention',
          );
          erased++;
        } catch (err) {
          // Erased meanwhile by a request: nothing left to do for it.
          if (!(err instanceof AppError && err.code === 'subject_already_erased')) throw err;
        }
      }
      if (due.length < BATCH) break;
      after = due[due.length - 1];
    }
    if (erased) this.logger.log(`retention erased the personal data of ${erased} contacts`);
    return erased;
  }

  /** Contacts not erased yet, untouched since the cutoff, with nothing pointing at them touched since. */
  private async due(ctx: RequestContext, cutoff: Date, after: string): Promise<string[]> {
    const params: unknown[] = [cutoff, after];
    const touched = contactReferences(this.registry).map(
      (ref) =>
        `AND NOT EXISTS (SELECT 1 FROM ${ref.table} r WHERE ${pointsAtContact(ref, 'r', 'c.id', params)} AND r.updated_at >= $1)`,
    );
    const rows = await this.db.query<{ id: string }>(
      ctx,
      `SELECT c.id FROM contacts c
        WHERE c.updated_at < $1 AND c.id > $2
          AND NOT EXISTS (SELECT 1 FROM privacy_requests p
                           WHERE p.subject_entity = 'contacts' AND p.subject_id = c.id AND p.kind = 'erasure')
          ${touched.join('\n          ')}
        ORDER BY c.id LIMIT ${BATCH}`,
      params,
    );
    return rows.map((r) => r.id);
  }
}
