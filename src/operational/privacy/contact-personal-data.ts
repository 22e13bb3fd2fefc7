import { Injectable } from '@nestjs/common';
import { CONTACT_DEFINITION } from '#operational/customers/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import {
  ResourceRegistry,
  type RecordReference,
  recordSelect,
  rowToRecord,
  type ApiRecord,
} from '#platform/records/index.js';

/** References to contacts from record types the registry knows (their records can be read). */
export function contactReferences(
  registry: ResourceRegistry,
): (RecordReference & { entity: string })[] {
  const known = new Set(registry.entities());
  return registry
    .referencesTo('contacts')
    .filter(
      (ref): ref is RecordReference & { entity: string } => !!ref.entity && known.has(ref.entity),
    );
}

/**
 * SQL saying that the row `alias` of the reference's table points at the contact `contact`
 * (an id expression); a reference typed by a column adds its value to `params`.
 */
export function pointsAtContact(
  ref: RecordReference,
  alias: string,
  contact: string,
  params: unknown[],
): string {
  const column = `${alias}.${ref.column}`;
  const points = ref.array ? `${contact}::text = ANY(${column}::text[])` : `${column} = ${contact}`;
  if (!ref.typedBy) return points;
  params.push(ref.typedBy.value);
  return `${points} AND ${alias}.${ref.typedBy.column} = $${params.length}`;
}

/** One record type's records that point at the contact, and through which attribute. */
export interface ReferringRecords {
  entity: string;
  attribute: string;
  records: ApiRecord[];
}

/**
 * Reads what Relasi holds on a contact wherever it lies: the contact as stored (deleted or
 * not), its change history, its timeline, and every record of any module that points at it —
 * found through the references modules declare, so a new module's records are included
 * without a change here.
 */
@Injectable()
export class ContactPersonalData {
  constructor(
    private readonly db: DatabaseService,
    private readonly registry: ResourceRegistry,
  ) {}

  /** The contact row locked for the caller's transaction when `lock`; 404 when there is none. */
  async contact(tx: RequestContext, id: string, lock = false): Promise<ApiRecord> {
    const def = CONTACT_DEFINITION;
    const [row] = await this.db.query(
      tx,
      `SELECT ${recordSelect(def)} FROM ${def.table} ${def.alias} WHERE ${def.alias}.id = $1${lock ? ` FOR UPDATE OF ${def.alias}` : ''}`,
      [id],
    );
    if (!row) throw AppError.notFound('contacts', id);
    return rowToRecord(def, row);
  }

  history(tx: RequestContext, id: string) {
    return this.db.query(
      tx,
      `SELECT at, action, actor_id AS "actorId", changes FROM record_history
        WHERE entity = 'contacts' AND record_id = $1 ORDER BY at, id`,
      [id],
    );
  }

  timeline(tx: RequestContext, id: string) {
    return this.db.query(
      tx,
      `SELECT type, occurred_at AS "occurredAt", title, source_entity AS "sourceEntity",
              source_id AS "sourceId", data
         FROM timeline_entries WHERE subject_entity = 'contacts' AND subject_id = $1
        ORDER BY occurred_at, id`,
      [id],
    );
  }

  async referring(tx: RequestContext, id: string): Promise<ReferringRecords[]> {
    const found: ReferringRecords[] = [];
    for (const ref of contactReferences(this.registry)) {
      const def = this.registry.get(ref.entity);
      const params: unknown[] = [id];
      const rows = await this.db.query(
        tx,
        `SELECT ${recordSelect(def)} FROM ${def.table} ${def.alias}
          WHERE ${pointsAtContact(ref, def.alias, '$1', params)} ORDER BY ${def.alias}.id`,
        params,
      );
      if (rows.length)
        found.push({
          entity: ref.entity,
          attribute: ref.attribute,
          records: rows.map((r) => rowToRecord(def, r)),
        });
    }
    return found;
  }
}
