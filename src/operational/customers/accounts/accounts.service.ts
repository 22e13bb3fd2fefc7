import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import { RecordResourceService, type RecordHooks, RecordService } from '#platform/records/index.js';
import { nameKey, phoneKeys } from '../dto/contact-points.dto.js';
import { ACCOUNT_DEFINITION } from './account.definition.js';

const MAX_HIERARCHY_DEPTH = 50;

@Injectable()
export class AccountsService extends RecordResourceService {
  readonly def = ACCOUNT_DEFINITION;
  protected override readonly pointsAt = { parentAccountId: 'accounts' };

  protected override readonly hooks: RecordHooks = {
    derive: (r) => ({
      name_key: nameKey(r.name as string),
      phone_keys: phoneKeys(r.phones as { number: string }[]),
    }),
    validate: (ctx, r, changed) => this.validateParent(ctx, r, changed),
    findDuplicate: async (ctx, _r, derived) => {
      const phones = derived.phone_keys as string[];
      if (phones.length === 0) return null;
      const row = await this.db.one<{ id: string }>(
        ctx,
        `SELECT id FROM accounts WHERE deleted_at IS NULL AND name_key = $1 AND phone_keys && $2::text[] ORDER BY created_at LIMIT 1`,
        [derived.name_key, phones],
      );
      return row && { id: row.id, match: 'name and phone' };
    },
    combine: (survivor, dups) => ({
      phones: unionBy(
        [survivor, ...dups].flatMap((r) => (r.phones as { number: string }[]) ?? []),
        (p) => p.number.replace(/\D/g, ''),
      ).slice(0, 10),
    }),
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
  ) {
    super(records);
  }

  /** The parent must be a readable account, and an account may not sit below itself. */
  private async validateParent(
    ctx: RequestContext,
    record: Record<string, unknown>,
    changed: ReadonlySet<string>,
  ): Promise<void> {
    const parentId = record.parentAccountId as string | null | undefined;
    if (!changed.has('parentAccountId') || !parentId) return;
    try {
      await this.records.load(ctx, this.def, parentId);
    } catch (e) {
      if (e instanceof AppError && e.code === 'not_found')
        throw AppError.field(
          'parentAccountId',
          'notFound',
          'refers to an account that does not exist',
        );
      throw e;
    }
    if (!record.id) return;
    const cycle = await this.db.one(
      ctx,
      `WITH RECURSIVE up(id, depth) AS (
         SELECT $1::uuid, 0
         UNION ALL
         SELECT a.parent_account_id, up.depth + 1 FROM accounts a JOIN up ON a.id = up.id
          WHERE a.parent_account_id IS NOT NULL AND up.depth < ${MAX_HIERARCHY_DEPTH})
       SELECT 1 FROM up WHERE id = $2 LIMIT 1`,
      [parentId, record.id],
    );
    if (cycle)
      throw AppError.field('parentAccountId', 'cycle', 'would make the account its own ancestor');
  }

  async merge(ctx: RequestContext, id: string, duplicateIds: string[]) {
    const merged = await this.records.merge(ctx, this.def, id, duplicateIds, this.hooks);
    return this.view(ctx, merged);
  }
}

export function unionBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = key(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
