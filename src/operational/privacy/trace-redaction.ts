import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';

/**
 * Removes the values a record left behind in its change history and its stored events —
 * who changed which field when, and which events happened, stay — so an erasure reaches
 * past the record itself. Contributors erasing their own records use it too.
 */
@Injectable()
export class TraceRedaction {
  constructor(private readonly db: DatabaseService) {}

  /** Answers how many history entries and events were redacted. */
  async redact(
    tx: RequestContext,
    entity: string,
    ids: readonly string[],
  ): Promise<{ history: number; events: number }> {
    if (ids.length === 0) return { history: 0, events: 0 };
    const history = await this.db.query(
      tx,
      `UPDATE record_history h
          SET changes = (SELECT coalesce(json_agg(json_build_object('field', c->'field', 'old', NULL, 'new', NULL)), '[]'::json)
                           FROM json_array_elements(h.changes) c)
        WHERE h.entity = $1 AND h.record_id = ANY($2::uuid[])
        RETURNING h.id`,
      [entity, ids],
    );
    // Webhooks not yet delivered then carry no data either.
    const events = await this.db.query(
      tx,
      `UPDATE domain_events SET data = '{"erased": true}'::jsonb
        WHERE entity = $1 AND record_id = ANY($2::uuid[]) RETURNING id`,
      [entity, ids],
    );
    return { history: history.length, events: events.length };
  }
}
