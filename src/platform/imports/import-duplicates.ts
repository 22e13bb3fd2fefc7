import type { RequestContext } from '#platform/context/request-context.js';
import type { DatabaseService } from '#platform/database/database.service.js';
import type { RecordHooks } from '#platform/records/record-hooks.js';
import { recordToColumns, type ResourceDefinition } from '#platform/records/resource-definition.js';

/** The custom field code that, when an entity declares it and the mapping sets it, identifies records. */
export const EXTERNAL_ID = 'externalId';

/** A row of a batch as the matcher sees it: its body and the columns it would be stored with. */
export interface MatchRow {
  input: Record<string, unknown>;
  /** Columns from `recordToColumns` plus the resource's derived ones (name_key, email_keys, …). */
  columns: Record<string, unknown>;
}

export interface Match {
  id: string;
  match: string;
}

type Rule = { match: string; columns: string[] };

function values(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x !== '');
  return v === null || v === undefined || v === '' ? [] : [String(v)];
}

function externalIdOf(row: MatchRow): string | null {
  const v = (row.input.customFields as Record<string, unknown> | undefined)?.[EXTERNAL_ID];
  return typeof v === 'string' && v !== '' ? v : null;
}

/**
 * Recognises rows of an import that are records already, a batch at a time (one query per
 * rule, not one per row). The rule: a row with an `externalId` (a custom field of that code,
 * when the entity declares one and the mapping sets it) matches the live record with the same
 * external id and nothing else; any other row matches by the entity's `importMatch` rules,
 * first rule first (contacts: email, then name and phone; accounts: name and phone). An
 * entity without such rules falls back to its own duplicate check of POST, one row at a time.
 * Among several matching records the oldest wins, as in the API's duplicate check.
 */
export class DuplicateMatcher {
  private readonly rules: Rule[];

  constructor(
    private readonly db: DatabaseService,
    private readonly def: ResourceDefinition,
    private readonly hooks: RecordHooks,
    private readonly externalIdMapped: boolean,
  ) {
    this.rules = def.importMatch ?? [];
  }

  get usesExternalId(): boolean {
    return this.externalIdMapped;
  }

  /**
   * Whether a row can only match records sharing one of its `keysOf` — not so for an entity
   * matched by its own duplicate check, which may compare anything.
   */
  get matchesByKeys(): boolean {
    return this.rules.length > 0 || !this.hooks.findDuplicate;
  }

  /** Columns of a row for matching: derived keys, and stored columns when a rule names them. */
  columnsOf(input: Record<string, unknown>): Record<string, unknown> {
    let derived: Record<string, unknown> = {};
    try {
      derived = this.hooks.derive?.({ customFields: {}, ...input }) ?? {};
    } catch {
      // A row too incomplete to derive keys from matches nothing; its validation says why.
    }
    const stored = this.rules.some((r) => r.columns.some((c) => !(c in derived)));
    // Assigned, not spread into a new literal: several spreads cost V8 far more (see prepareCreate).
    return stored ? Object.assign(recordToColumns(this.def, input), derived) : derived;
  }

  /**
   * Keys identifying what a row would match, so two rows of one batch that are the same
   * record can be told apart: the second must wait until the first is written.
   */
  keysOf(row: MatchRow): string[] {
    const external = this.externalIdMapped ? externalIdOf(row) : null;
    if (external !== null) return [`${EXTERNAL_ID}:${external}`];
    const keys: string[] = [];
    for (const rule of this.rules) {
      let combos: string[] = [''];
      for (const column of rule.columns) {
        const vs = values(row.columns[column]);
        combos = combos.flatMap((c) => vs.map((v) => `${c}|${v}`));
      }
      keys.push(...combos.map((c) => `${rule.match}:${c}`));
    }
    return keys;
  }

  private where(params: unknown[], alias?: string): string {
    const a = alias ? `${alias}.` : '';
    const own = [`${a}deleted_at IS NULL`];
    if (this.def.discriminator) {
      params.push(this.def.discriminator.value);
      own.push(`${a}${this.def.discriminator.column} = $${params.length}`);
    }
    return own.join(' AND ');
  }

  async find(ctx: RequestContext, rows: MatchRow[]): Promise<(Match | null)[]> {
    const found: (Match | null)[] = rows.map(() => null);
    const external = rows.map((r) => (this.externalIdMapped ? externalIdOf(r) : null));
    const byExternal = external.filter((e): e is string => e !== null);
    if (byExternal.length) {
      const params: unknown[] = [[...new Set(byExternal)]];
      const hits = await this.db.query<{ id: string; k: string }>(
        ctx,
        `SELECT c.id, k.v AS k FROM unnest($1::text[]) AS k(v)
           JOIN ${this.def.table} c ON c.custom_fields->>'${EXTERNAL_ID}' = k.v
          WHERE ${this.where(params, 'c')}
          ORDER BY c.created_at DESC, c.id DESC`,
        params,
      );
      // Oldest last, so it is the one kept.
      const ids = new Map(hits.map((h) => [h.k, h.id]));
      external.forEach((e, i) => {
        const id = e === null ? undefined : ids.get(e);
        if (id) found[i] = { id, match: EXTERNAL_ID };
      });
    }
    const rest = rows.map((_, i) => i).filter((i) => external[i] === null);
    if (this.rules.length === 0) {
      if (this.hooks.findDuplicate) {
        for (const i of rest) {
          const hit = await this.hooks.findDuplicate(
            ctx,
            { customFields: {}, ...rows[i].input },
            rows[i].columns,
          );
          if (hit) found[i] = hit;
        }
      }
      return found;
    }
    for (const rule of this.rules) {
      const open = rest.filter(
        (i) => !found[i] && rule.columns.every((c) => values(rows[i].columns[c]).length > 0),
      );
      if (open.length === 0) continue;
      // Plans that stay index-fast however many keys a batch brings and however large the
      // table: for an array column one GIN probe per key (`@>`), where one `&& (1,000 keys)`
      // is often misjudged as worth a scan of the whole table; for any other column one
      // b-tree scan of all the keys (`= ANY`), where joining the keys is often planned as a
      // hash of the whole table.
      const [probed, ...others] = rule.columns;
      const array = Array.isArray(rows[open[0]].columns[probed]);
      const params: unknown[] = [
        [...new Set(open.flatMap((i) => values(rows[i].columns[probed])))],
      ];
      const selected = `c.id, c.created_at AS at, ${rule.columns.map((col) => `c.${col}`).join(', ')}`;
      const candidates = await this.db.query<Record<string, unknown> & { id: string; at: Date }>(
        ctx,
        array
          ? `SELECT ${selected} FROM unnest($1::text[]) AS k(v)
               JOIN ${this.def.table} c ON c.${probed} @> ARRAY[k.v]
              WHERE ${this.where(params, 'c')}`
          : `SELECT ${selected} FROM ${this.def.table} c
              WHERE c.${probed} = ANY($1::text[]) AND ${this.where(params, 'c')}`,
        params,
      );
      candidates.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : 1));
      for (const i of open) {
        const hit = candidates.find((c) =>
          [probed, ...others].every((column) => {
            const mine = values(rows[i].columns[column]);
            return values(c[column]).some((v) => mine.includes(v));
          }),
        );
        if (hit) found[i] = { id: hit.id, match: rule.match };
      }
    }
    return found;
  }
}
