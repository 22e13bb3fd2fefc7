import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { RecordResourceService, type RecordHooks, RecordService } from '#platform/records/index.js';
import { unionBy } from '../accounts/accounts.service.js';
import { nameKey, phoneKeys } from '../dto/contact-points.dto.js';
import { CONTACT_DEFINITION } from './contact.definition.js';
import { OLDEST_CONTACT_BY_EMAIL_SQL } from './contacts-by-key.js';

function emailKeys(r: Record<string, unknown>): string[] {
  const all = [r.email as string | null, ...((r.otherEmails as string[] | undefined) ?? [])];
  return [...new Set(all.filter((e): e is string => !!e).map((e) => e.trim().toLowerCase()))];
}

@Injectable()
export class ContactsService extends RecordResourceService {
  readonly def = CONTACT_DEFINITION;
  protected override readonly pointsAt = { accountId: 'accounts' };

  protected override readonly hooks: RecordHooks = {
    derive: (r) => ({
      name_key: nameKey(r.firstName as string | null, r.lastName as string),
      email_keys: emailKeys(r),
      phone_keys: phoneKeys(r.phones as { number: string }[]),
    }),
    validate: (ctx, r, changed) => this.validateAccount(ctx, r, changed),
    findDuplicate: async (ctx, _r, derived) => {
      const emails = derived.email_keys as string[];
      if (emails.length > 0) {
        const byEmail = await this.db.one<{ id: string }>(ctx, OLDEST_CONTACT_BY_EMAIL_SQL, [
          emails,
        ]);
        if (byEmail) return { id: byEmail.id, match: 'email' };
      }
      const phones = derived.phone_keys as string[];
      if (phones.length === 0) return null;
      const byPhone = await this.db.one<{ id: string }>(
        ctx,
        `SELECT id FROM contacts WHERE deleted_at IS NULL AND name_key = $1 AND phone_keys && $2::text[] ORDER BY created_at LIMIT 1`,
        [derived.name_key, phones],
      );
      return byPhone && { id: byPhone.id, match: 'name and phone' };
    },
    combine: (survivor, dups) => {
      const primary = (survivor.email as string | null) ?? dups.find((d) => d.email)?.email ?? null;
      const others = [
        ...new Set(
          [survivor, ...dups].flatMap((r) => [
            r.email as string | null,
            ...((r.otherEmails as string[]) ?? []),
          ]),
        ),
      ]
        .filter((e): e is string => !!e && e.toLowerCase() !== String(primary).toLowerCase())
        .slice(0, 10);
      const phones = unionBy(
        [survivor, ...dups].flatMap((r) => (r.phones as { number: string }[]) ?? []),
        (p) => p.number.replace(/\D/g, ''),
      ).slice(0, 10);
      return { email: primary, otherEmails: others, phones };
    },
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
  ) {
    super(records);
  }

  private async validateAccount(
    ctx: RequestContext,
    record: Record<string, unknown>,
    changed: ReadonlySet<string>,
  ): Promise<void> {
    const accountId = record.accountId as string | null | undefined;
    if (!changed.has('accountId') || !accountId) return;
    await this.records.mustReference(ctx, 'accounts', accountId, 'accountId', 'an account');
  }

  async merge(ctx: RequestContext, id: string, duplicateIds: string[]) {
    const merged = await this.records.merge(ctx, this.def, id, duplicateIds, this.hooks);
    return this.view(ctx, merged);
  }
}
