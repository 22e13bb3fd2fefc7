import { Inject, Injectable } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { roundMoney } from '#platform/currency/index.js';
import { DatabaseService, uuidv7 } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import { RecordService } from '#platform/records/index.js';
import { CAMPAIGN_DEFINITION } from './campaign.definition.js';
import { CampaignsService } from './campaigns.service.js';
import type { CreateCampaignCostDto } from './dto/campaign-cost.dto.js';

interface CostRow {
  id: string;
  kind: 'planned' | 'actual';
  category: string;
  amount: string;
  currency: string;
  incurredOn: string;
  description: string | null;
  createdAt: Date;
}

const COLUMNS = `id, kind, category, amount::text AS amount, trim(currency) AS currency,
  to_char(incurred_on, 'YYYY-MM-DD') AS "incurredOn", description, created_at AS "createdAt"`;

/** A campaign's planned and actual costs, in its currency, with their totals. */
@Injectable()
export class CampaignCosts {
  constructor(
    private readonly db: DatabaseService,
    private readonly records: RecordService,
    private readonly campaigns: CampaignsService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  async add(ctx: RequestContext, id: string, body: CreateCampaignCostDto) {
    return this.db.transaction(ctx, async (tx) => {
      const campaign = await this.campaigns.lockForAction(tx, id);
      const currency = this.campaigns.currencyOf(
        campaign,
        this.config.organization.defaultCurrency,
      );
      if (body.amount.currency !== currency)
        throw AppError.field(
          'amount.currency',
          'equals',
          `must be the campaign's currency ${currency}`,
        );
      const row = await this.db.one<CostRow>(
        tx,
        `INSERT INTO campaign_costs (id, campaign_id, kind, category, amount, currency, incurred_on, description, created_by_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
        [
          uuidv7(),
          id,
          body.kind,
          body.category,
          body.amount.amount,
          currency,
          body.incurredOn,
          body.description ?? null,
          tx.user.userId,
        ],
      );
      return this.present(row!);
    });
  }

  async list(ctx: RequestContext, id: string) {
    const campaign = await this.records.load(ctx, CAMPAIGN_DEFINITION, id);
    const currency = this.campaigns.currencyOf(campaign, this.config.organization.defaultCurrency);
    const rows = await this.db.query<CostRow>(
      ctx,
      `SELECT ${COLUMNS} FROM campaign_costs WHERE campaign_id = $1 ORDER BY incurred_on, id`,
      [id],
    );
    return { data: rows.map((r) => this.present(r)), totals: await this.totals(ctx, id, currency) };
  }

  async remove(ctx: RequestContext, id: string, costId: string): Promise<void> {
    await this.db.transaction(ctx, async (tx) => {
      await this.campaigns.lockForAction(tx, id);
      const gone = await this.db.query(
        tx,
        `DELETE FROM campaign_costs WHERE id = $1 AND campaign_id = $2 RETURNING id`,
        [costId, id],
      );
      if (gone.length === 0) throw AppError.notFound('campaign cost', costId);
    });
  }

  /** Planned and actual totals in the campaign's currency. */
  async totals(ctx: RequestContext, id: string, currency: string) {
    const row = await this.db.one<{ planned: string; actual: string }>(
      ctx,
      `SELECT coalesce(sum(amount) FILTER (WHERE kind = 'planned'), 0)::text AS planned,
              coalesce(sum(amount) FILTER (WHERE kind = 'actual'), 0)::text AS actual
         FROM campaign_costs WHERE campaign_id = $1`,
      [id],
    );
    return {
      planned: { amount: roundMoney(row!.planned, currency), currency },
      actual: { amount: roundMoney(row!.actual, currency), currency },
    };
  }

  private present(r: CostRow) {
    return {
      id: r.id,
      kind: r.kind,
      category: r.category,
      amount: { amount: r.amount, currency: r.currency },
      incurredOn: r.incurredOn,
      description: r.description,
      createdAt: r.createdAt.toISOString(),
    };
  }
}
