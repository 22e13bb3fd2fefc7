import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import type { ReadModelParameters } from './read-model-parameters.js';

/** When the read models were last rebuilt. */
export interface ReadModelFreshness {
  /** When the RFM scores, tiers and lifetime values were computed; null before the first run. */
  readonly valuesAsOf: string | null;
  /** When the association rules were computed; null before the first run. */
  readonly rulesAsOf: string | null;
}

/**
 * Memory for the refresh's sorts and hashes. The view sorts every customer four times (one
 * cume_dist per quintile and the revenue share of the tiers) and hashes every order first;
 * at the default 4MB each of those spilled to disk from about 20,000 customers on and the
 * refresh took 2–4 × the hand-written query. Set for the refresh transaction only.
 */
export const READ_MODEL_REFRESH_WORK_MEM = '64MB';

/**
 * Rebuilds the read models of customer analytics (see the migration
 * 1765300000000-customer-analytics): the materialized view of customer values and the table
 * of association rules. The only code that writes them.
 */
@Injectable()
export class CustomerAnalyticsReadModels {
  constructor(private readonly db: DatabaseService) {}

  /** Both read models, each in its own transaction, with the config's current values. */
  async refreshAll(ctx: RequestContext, config: ReadModelParameters): Promise<ReadModelFreshness> {
    await this.refreshValues(ctx, config);
    await this.refreshRules(ctx, config);
    return this.freshness(ctx);
  }

  /** The view reads its parameters from the table, so both change in one transaction. */
  async refreshValues(ctx: RequestContext, config: ReadModelParameters): Promise<void> {
    await this.db.transaction(ctx, async (tx) => {
      await this.db.query(tx, `SET LOCAL work_mem = '${READ_MODEL_REFRESH_WORK_MEM}'`);
      await this.db.query(
        tx,
        `UPDATE customer_analytics_parameters
            SET reporting_currency = $1, rfm_window_days = $2, trend_window_days = $3,
                value_tiers = $4::jsonb, base_tier = $5, refreshed_at = now()`,
        [
          config.reportingCurrency,
          config.rfmWindowDays,
          config.trendWindowDays,
          JSON.stringify(config.valueTiers),
          config.baseTier,
        ],
      );
      await this.db.query(tx, `REFRESH MATERIALIZED VIEW CONCURRENTLY analytics_customer_values`);
    });
  }

  /**
   * Pairwise rules X → Y over order baskets (the distinct products of one live order's sale
   * lines): support = baskets with X and Y / all baskets, confidence = baskets with X and Y /
   * baskets with X, lift = confidence / (baskets with Y / all baskets). Only rules meeting
   * every threshold are kept.
   */
  async refreshRules(ctx: RequestContext, config: ReadModelParameters): Promise<void> {
    const { minSupport, minConfidence, minLift } = config;
    await this.db.transaction(ctx, async (tx) => {
      await this.db.query(tx, `DELETE FROM product_association_rules`);
      await this.db.query(
        tx,
        `WITH baskets AS (
           SELECT DISTINCT l.order_id, l.product_id
             FROM order_lines l
             JOIN orders o ON o.id = l.order_id AND o.deleted_at IS NULL AND o.status <> 'cancelled'
            WHERE l.kind = 'sale'),
         total AS (SELECT count(DISTINCT order_id)::numeric AS n FROM baskets),
         items AS (SELECT product_id, count(*)::numeric AS c FROM baskets GROUP BY product_id),
         pairs AS (
           SELECT a.product_id AS x, b.product_id AS y, count(*)::numeric AS c
             FROM baskets a JOIN baskets b ON b.order_id = a.order_id AND b.product_id <> a.product_id
            GROUP BY a.product_id, b.product_id)
         INSERT INTO product_association_rules
           (antecedent_id, consequent_id, pair_baskets, support, confidence, lift)
         SELECT pairs.x, pairs.y, pairs.c, round(pairs.c / total.n, 10), round(pairs.c / ix.c, 10),
                round((pairs.c / ix.c) / (iy.c / total.n), 10)
           FROM pairs CROSS JOIN total
           JOIN items ix ON ix.product_id = pairs.x
           JOIN items iy ON iy.product_id = pairs.y
          WHERE pairs.c / total.n >= $1::numeric AND pairs.c / ix.c >= $2::numeric
            AND (pairs.c / ix.c) / (iy.c / total.n) >= $3::numeric`,
        [minSupport, minConfidence, minLift],
      );
      await this.db.query(
        tx,
        `UPDATE customer_analytics_parameters SET rules_refreshed_at = now()`,
      );
    });
  }

  async freshness(ctx: RequestContext): Promise<ReadModelFreshness> {
    const row = await this.db.one<{ valuesAsOf: Date | null; rulesAsOf: Date | null }>(
      ctx,
      `SELECT refreshed_at AS "valuesAsOf", rules_refreshed_at AS "rulesAsOf"
         FROM customer_analytics_parameters`,
    );
    return {
      valuesAsOf: row!.valuesAsOf?.toISOString() ?? null,
      rulesAsOf: row!.rulesAsOf?.toISOString() ?? null,
    };
  }
}
