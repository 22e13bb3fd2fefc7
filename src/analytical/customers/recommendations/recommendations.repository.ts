import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';

export interface RecommendationRow {
  productId: string;
  sku: string;
  name: Record<string, string>;
  familyId: string | null;
  confidence: string;
  lift: string;
  support: string;
  because: string[];
}

/** Next-best-offer from the association rules the refresh job keeps. */
@Injectable()
export class RecommendationsRepository {
  constructor(private readonly db: DatabaseService) {}

  /**
   * Active products the account has not bought (a product bought and wholly returned counts
   * as not wanted either), reached by a rule from a product it bought; each ranked by its best
   * rule's confidence, then lift, then support, with the products that led to it. Products in
   * `excludedFamilies` are left out.
   */
  async forAccount(
    ctx: RequestContext,
    accountId: string,
    excludedFamilies: string[],
    limit: number,
  ): Promise<RecommendationRow[]> {
    return this.db.query<RecommendationRow>(
      ctx,
      `WITH owned AS (
         SELECT DISTINCT l.product_id FROM order_lines l
           JOIN analytics_purchases o ON o.id = l.order_id
          WHERE l.account_id = $1::uuid),
       candidates AS (
         SELECT r.consequent_id, max(r.confidence) AS confidence, max(r.lift) AS lift, max(r.support) AS support,
                array_agg(DISTINCT r.antecedent_id::text) AS because
           FROM product_association_rules r
          WHERE r.antecedent_id IN (SELECT product_id FROM owned)
            AND r.consequent_id NOT IN (SELECT product_id FROM owned)
          GROUP BY r.consequent_id)
       SELECT pr.id AS "productId", pr.sku, pr.name, pr.family_id AS "familyId",
              c.confidence::text AS confidence, c.lift::text AS lift, c.support::text AS support, c.because
         FROM candidates c JOIN products pr ON pr.id = c.consequent_id
        WHERE pr.deleted_at IS NULL AND pr.active
          AND (pr.family_id IS NULL OR NOT (pr.family_id::text = ANY($2::text[])))
        ORDER BY c.confidence DESC, c.lift DESC, c.support DESC, pr.sku
        LIMIT $3`,
      [accountId, excludedFamilies, limit],
    );
  }
}
