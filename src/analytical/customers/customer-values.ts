/** One row of the materialized view analytics_customer_values. */
export interface CustomerValuesRow {
  accountId: string;
  accountName: string;
  revenue: string;
  productCost: string;
  orders: number;
  firstPurchaseAt: Date;
  lastPurchaseAt: Date;
  windowOrders: number;
  windowRevenue: string;
  trendRecentOrders: number;
  trendPreviousOrders: number;
  rScore: number;
  fScore: number;
  mScore: number;
  segment: string;
  tier: string;
  dataAsOf: Date;
}

/** The columns of CustomerValuesRow, from the view `v` joined to its account `a`. */
export const VALUES_COLUMNS = `v.account_id AS "accountId", a.name AS "accountName", v.revenue::text AS revenue,
  v.product_cost::text AS "productCost", v.orders::int AS orders, v.first_purchase_at AS "firstPurchaseAt",
  v.last_purchase_at AS "lastPurchaseAt", v.window_orders::int AS "windowOrders",
  v.window_revenue::text AS "windowRevenue", v.trend_recent_orders::int AS "trendRecentOrders",
  v.trend_previous_orders::int AS "trendPreviousOrders", v.r_score AS "rScore", v.f_score AS "fScore",
  v.m_score AS "mScore", v.segment, v.tier, v.data_as_of AS "dataAsOf"`;
