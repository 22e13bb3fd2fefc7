import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { JobsService } from '#platform/jobs/index.js';
import { RecordService, recordSelect, rowToRecord } from '#platform/records/index.js';
import { quoteEventBase } from './quote-facts.js';
import { QUOTE_DEFINITION } from './quotes.definitions.js';
import { QUOTE_EXPIRED, QUOTE_STATUS_CHANGED } from './quotes.events.js';
import { QuotesService } from './quotes.service.js';

export const EXPIRY_QUEUE = 'quotes.expire';
const BATCH = 200;

/**
 * Expires quotes past their validity on `quotes.expirySchedule` (organization time zone):
 * a quote in review, approved or sent whose validUntil is before today becomes expired,
 * with its history entry, `quote.status_changed` and `quote.expired`. Batches are short
 * transactions that pass over quotes a request holds; the next run takes them.
 */
@Injectable()
export class QuoteExpiry implements OnModuleInit {
  constructor(
    private readonly db: DatabaseService,
    private readonly jobs: JobsService,
    private readonly records: RecordService,
    private readonly outbox: EventOutbox,
    private readonly quotes: QuotesService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.work(EXPIRY_QUEUE, () => this.run().then(() => undefined));
    this.jobs.schedule(
      EXPIRY_QUEUE,
      this.quotes.settings.expirySchedule,
      EXPIRY_QUEUE,
      {},
      {
        timeZone: this.config.organization.timeZone,
      },
    );
  }

  /** Expires every overdue quote; returns how many. */
  async run(): Promise<number> {
    const def = QUOTE_DEFINITION;
    let total = 0;
    for (;;) {
      const n = await this.db.transaction(RequestContext.system(), async (tx) => {
        const rows = await this.db.query(
          tx,
          `UPDATE quotes ${def.alias} SET status = 'expired', expired_at = now(),
                  version = version + 1, updated_at = now()
            WHERE id IN (SELECT id FROM quotes
                          WHERE deleted_at IS NULL AND status IN ('in_review', 'approved', 'sent')
                            AND valid_until < $1::date
                          ORDER BY valid_until, id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
            RETURNING ${recordSelect(def)}, (SELECT status FROM quotes p WHERE p.id = ${def.alias}.id) AS previous_status`,
          [this.quotes.today()],
        );
        for (const row of rows) {
          const quote = rowToRecord(def, row);
          const from = row.previous_status as string;
          await this.records.recordChange(
            tx,
            def,
            quote.id,
            [{ field: 'status', old: from, new: 'expired' }],
            'quote.expired',
          );
          const base = quoteEventBase(quote);
          await this.outbox.append(tx, [
            QUOTE_STATUS_CHANGED.of(quote.id, {
              ...base,
              from,
              to: 'expired',
              approvalRequired: quote.approvalRequired as boolean,
            }),
            QUOTE_EXPIRED.of(quote.id, {
              ...base,
              validUntil: quote.validUntil as string,
              previousStatus: from,
            }),
          ]);
          await this.quotes.putOnTimeline(tx, quote);
        }
        return rows.length;
      });
      total += n;
      if (n < BATCH) return total;
    }
  }
}
