import { Inject, Injectable } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import {
  RecordResourceService,
  RecordService,
  type ApiRecord,
  type RecordHooks,
} from '#platform/records/index.js';
import { PARTNER_DEFINITION } from './partner.definition.js';
import { PARTNERS_SECTION, type PartnersConfig } from './partners.config.js';

/**
 * Partner profiles. A profile sits on an account of type partner (one each), its tier is one
 * of the configured tiers and its channel manager an active staff user. Suspending a partner
 * ends its users' sessions: their tokens are checked against the status on every request.
 */
@Injectable()
export class PartnersService extends RecordResourceService {
  readonly def = PARTNER_DEFINITION;
  private readonly config: PartnersConfig;

  protected override readonly hooks: RecordHooks = {
    shape: (input, existing) =>
      existing ? input : { territories: [], certifications: [], status: 'active', ...input },
    validate: (ctx, r, changed, existing) => this.check(ctx, r, changed, existing),
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
    @Inject(CRM_CONFIG) crm: CrmConfig,
  ) {
    super(records);
    this.config = PARTNERS_SECTION.read(crm);
  }

  /** The profile when the caller may change it: 404 outside reach, 403 without the right. */
  load(ctx: RequestContext, id: string): Promise<ApiRecord> {
    return this.records.load(ctx, this.def, id);
  }

  private async check(
    ctx: RequestContext,
    r: Record<string, unknown>,
    changed: ReadonlySet<string>,
    existing: ApiRecord | null,
  ): Promise<void> {
    if (changed.has('tier') && !this.config.tiers.includes(r.tier as string))
      throw AppError.field('tier', 'isIn', `must be one of: ${this.config.tiers.join(', ')}`);
    if (!existing) {
      const account = await this.db.one<{ type: string | null }>(
        ctx,
        `SELECT type FROM accounts WHERE id = $1 AND deleted_at IS NULL`,
        [r.accountId],
      );
      if (!account) throw AppError.field('accountId', 'exists', 'names no account');
      if (account.type !== 'partner') throw new AppError('partner_account_not_partner');
      const taken = await this.db.one<{ id: string }>(
        ctx,
        `SELECT id FROM partners WHERE account_id = $1 AND deleted_at IS NULL`,
        [r.accountId],
      );
      if (taken)
        throw new AppError('partner_profile_exists', {}, undefined, { existingId: taken.id });
    }
    if (changed.has('channelManagerId') && r.channelManagerId) {
      const user = await this.db.one(
        ctx,
        `SELECT 1 FROM users WHERE id = $1 AND active AND deleted_at IS NULL`,
        [r.channelManagerId],
      );
      if (!user) throw AppError.field('channelManagerId', 'exists', 'names no active user');
    }
  }
}
