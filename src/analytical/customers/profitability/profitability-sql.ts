import type { SqlParams } from '#platform/query/index.js';

/** One source of ledger rows: a SELECT's parts, its FROM … WHERE (… GROUP BY when `grouped`). */
interface Branch {
  readonly account: string;
  readonly source: string;
  readonly id: string;
  readonly at: string;
  readonly detail: string;
  readonly values: Partial<Record<ProfitColumn, string>>;
  readonly body: string;
  readonly grouped?: boolean;
}

/** What a profitability statement is computed with. */
export interface ProfitabilityInput {
  /** Reporting currency every amount is converted to (at the rate of its day). */
  readonly currency: string;
  /** Period: first and last day (inclusive) in `timeZone`; no first day: since the beginning. */
  readonly from: string | null;
  readonly to: string;
  readonly timeZone: string;
  readonly serviceHourCost: string;
  readonly caseHandlingHours: string;
  readonly fieldHourCost: string;
  /**
   * SQL predicate over `a` (accounts) choosing the customers, e.g. a scope and an id; the
   * parameters it names belong to the same SqlParams.
   */
  readonly customers: string;
  /**
   * Keyset page over account ids: after this id, at most `limit` customers. Without a page
   * the statement covers the whole book (every customer the predicate picks, usually most).
   */
  readonly page?: { readonly after: string | null; readonly limit: number };
  /** One ledger row per source record (true) or one total row per customer (false). */
  readonly lines: boolean;
}

/** The columns each ledger row and each total carries, all in the reporting currency. */
export const PROFIT_COLUMNS = [
  'gross_sales',
  'discounts',
  'returns',
  'product_cost',
  'acquisition',
  'enhancement',
  'retention',
] as const;
export type ProfitColumn = (typeof PROFIT_COLUMNS)[number];

/**
 * One statement for a customer's profitability and its ledger, so that the list, the single
 * statement and the benchmark read the same rules:
 *
 * - Order lines booked in the period (live orders, not cancelled): gross sales and discounts
 *   from sale lines (quantity × unit price, and that less the net), returns from credit lines
 *   (their net, negated), product cost = quantity × the catalog's cost price for every line
 *   (a return gives the goods back). Net revenue = gross − discounts − returns.
 * - Acquisition: the customer's first order ever (time, then id) falls in the period and is
 *   credited to a campaign (the order itself or its opportunity): the campaign's actual cost
 *   shared equally among the customers whose first order it is credited with.
 * - Enhancement: the customer's contacts joined a campaign in the period after the first
 *   purchase (other than the acquiring campaign): the campaign's actual cost per member.
 * - Retention: each case (created in the period) × handling hours × hour cost; each call
 *   (started in the period) by its duration × hour cost; field work by the hours of time
 *   entries started in the period × field hour cost. Calls and cases count for the account
 *   of their contact when they name no account.
 */
export function profitabilitySql(p: SqlParams, input: ProfitabilityInput): string {
  const rc = p.add(input.currency);
  const zone = p.add(input.timeZone);
  const from = input.from ? `((${p.add(input.from)}::date)::timestamp AT TIME ZONE ${zone})` : null;
  const to = `((${p.add(input.to)}::date + 1)::timestamp AT TIME ZONE ${zone})`;
  // Without a first day there is no lower bound to test on every row.
  const during = (at: string) => (from ? `${at} >= ${from} AND ${at} < ${to}` : `${at} < ${to}`);
  const hour = p.add(input.serviceHourCost);
  const caseHours = p.add(input.caseHandlingHours);
  const fieldHour = p.add(input.fieldHourCost);
  const conv = (amount: string, currency: string, day: string) =>
    `CASE WHEN ${currency} = ${rc} THEN ${amount} ELSE analytics_in_currency(${amount}, ${currency}, (${day})::date, ${rc}) END`;
  const zero = 'NULL::numeric';
  const columns = (values: Partial<Record<ProfitColumn, string>>, wrap = (v: string) => v) =>
    PROFIT_COLUMNS.map((c) => `${values[c] ? wrap(values[c]) : zero} AS ${c}`).join(', ');
  const page = input.page
    ? `${input.page.after ? ` AND a.id > ${p.add(input.page.after)}::uuid` : ''} ORDER BY a.id LIMIT ${p.add(input.page.limit)}`
    : '';
  // A page's sources are narrowed to its few customers before they are summed (the lines
  // come by index). The whole book's are summed per account first and the customers picked
  // once, at the end: joining ten million lines to a million customers costs more than
  // summing the lines of the few accounts the predicate leaves out. Ledger lines always
  // narrow, as nothing picks them later.
  const narrow = input.page !== undefined || input.lines;
  const ofCustomers = (account: string) => (narrow ? `JOIN customers c ON c.id = ${account}` : '');
  const branches: Branch[] = [
    {
      account: 'l.account_id',
      source: 'order_line',
      id: 'l.id',
      at: 'l.booked_at',
      detail: `jsonb_build_object('orderId', l.order_id, 'productId', l.product_id, 'sku', l.sku, 'quantity', l.quantity::text)`,
      values: {
        gross_sales: `CASE WHEN l.kind = 'sale' THEN ${conv('l.quantity * l.unit_price', 'l.currency', 'l.booked_at')} END`,
        discounts: `CASE WHEN l.kind = 'sale' THEN ${conv('l.quantity * l.unit_price - l.net_amount', 'l.currency', 'l.booked_at')} END`,
        returns: `CASE WHEN l.kind = 'credit' THEN -${conv('l.net_amount', 'l.currency', 'l.booked_at')} END`,
        product_cost: `l.quantity * ${conv('pr.cost_price_amount', 'pr.cost_price_currency', 'l.booked_at')}`,
      },
      body: `FROM order_lines l
        ${ofCustomers('l.account_id')}
        JOIN analytics_purchases o ON o.id = l.order_id
        JOIN products pr ON pr.id = l.product_id
       WHERE ${during('l.booked_at')}`,
    },
    {
      account: 'x.account_id',
      source: 'campaign',
      id: 'x.campaign_id',
      at: 'x.ordered_at',
      detail: `jsonb_build_object('firstOrderId', x.order_id, 'campaignCost', coalesce(cost.cost, 0)::text, 'customersAcquired', q.customers)`,
      values: { acquisition: 'coalesce(cost.cost, 0) / q.customers' },
      body: `FROM acquisitions x JOIN acquired q ON q.campaign_id = x.campaign_id
        LEFT JOIN campaign_cost cost ON cost.campaign_id = x.campaign_id
       WHERE ${during('x.ordered_at')}`,
    },
    {
      account: 't.account_id',
      source: 'campaign',
      id: 't.campaign_id',
      at: 't.added_at',
      detail: `jsonb_build_object('contactId', t.contact_id, 'campaignCost', coalesce(cost.cost, 0)::text, 'members', mm.n)`,
      values: { enhancement: 'coalesce(cost.cost, 0) / mm.n' },
      body: `FROM touches t JOIN members mm ON mm.campaign_id = t.campaign_id
        LEFT JOIN campaign_cost cost ON cost.campaign_id = t.campaign_id`,
    },
    {
      account: 'k.account_id',
      source: 'case',
      id: 'k.id',
      at: 'k.created_at',
      detail: `jsonb_build_object('number', k.number, 'hours', ${caseHours}::numeric::text)`,
      values: { retention: `${caseHours}::numeric * ${hour}::numeric` },
      body: `FROM (SELECT k.id, coalesce(k.account_id, kc.account_id) AS account_id, k.created_at, k.number
                FROM cases k LEFT JOIN contacts kc ON kc.id = k.contact_id
               WHERE k.deleted_at IS NULL AND ${during('k.created_at')}) k
        ${ofCustomers('k.account_id')}`,
    },
    {
      account: 'coalesce(cc.account_id, ck.account_id)',
      source: 'call',
      id: 'cl.id',
      at: 'cl.started_at',
      detail: `jsonb_build_object('durationSeconds', cl.duration_seconds)`,
      values: { retention: `cl.duration_seconds::numeric / 3600 * ${hour}::numeric` },
      body: `FROM calls cl
        LEFT JOIN contacts cc ON cc.id = cl.contact_id
        LEFT JOIN cases ck ON ck.id = cl.case_id
        ${ofCustomers('coalesce(cc.account_id, ck.account_id)')}
       WHERE cl.deleted_at IS NULL AND ${during('cl.started_at')}`,
    },
    {
      account: 'w.account_id',
      source: 'work_order',
      id: 'w.id',
      at: 'min(e.started)',
      detail: `jsonb_build_object('number', min(w.number), 'hours', round(sum(e.hours), 4)::text)`,
      values: { retention: `sum(e.hours) * ${fieldHour}::numeric` },
      grouped: true,
      body: `FROM (SELECT wo.id, wo.number, coalesce(wo.account_id, wk.account_id) AS account_id, wo.time_entries
                FROM work_orders wo LEFT JOIN cases wk ON wk.id = wo.case_id
               WHERE wo.deleted_at IS NULL AND wo.status <> 'cancelled') w
        ${ofCustomers('w.account_id')}
        CROSS JOIN LATERAL (
          SELECT (t->>'startedAt')::timestamptz AS started,
                 extract(epoch FROM (t->>'endedAt')::timestamptz - (t->>'startedAt')::timestamptz) / 3600 AS hours
            FROM jsonb_array_elements(w.time_entries) t) e
       WHERE ${during('e.started')}
       GROUP BY w.account_id, w.id`,
    },
  ];
  const lineOf = (b: Branch) =>
    `SELECT ${b.account} AS account_id, '${b.source}' AS source, ${b.id} AS source_id, ${b.at} AS at,
            ${b.detail} AS detail, ${columns(b.values)} ${b.body}`;
  // Totals add each source up per customer first, so the final sum reads a few rows each.
  const totalOf = (b: Branch) =>
    b.grouped
      ? `SELECT account_id, ${PROFIT_COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(', ')}
           FROM (${lineOf(b)}) g GROUP BY account_id`
      : `SELECT ${b.account} AS account_id, ${columns(b.values, (v) => `sum(${v})`)} ${b.body} GROUP BY 1`;
  const ledger = `
    WITH customers AS (SELECT a.id FROM accounts a WHERE a.deleted_at IS NULL AND ${input.customers}${page}),
    credited AS (
      SELECT ca.campaign_id, o.id AS order_id, o.account_id, o.ordered_at
        FROM campaign_attributions ca JOIN analytics_purchases o ON o.id = ca.record_id
       WHERE ca.entity = 'orders'
      UNION
      SELECT ca.campaign_id, o.id, o.account_id, o.ordered_at
        FROM campaign_attributions ca JOIN analytics_purchases o ON o.opportunity_id = ca.record_id
       WHERE ca.entity = 'opportunities'),
    credited_first AS (
      SELECT cr.* FROM credited cr
       WHERE NOT EXISTS (SELECT 1 FROM analytics_purchases o WHERE o.account_id = cr.account_id
                            AND (o.ordered_at, o.id) < (cr.ordered_at, cr.order_id))),
    acquisitions AS (SELECT cf.* FROM credited_first cf ${ofCustomers('cf.account_id')}),
    acquired AS (
      SELECT campaign_id, count(DISTINCT account_id) AS customers FROM credited_first
       WHERE campaign_id IN (SELECT campaign_id FROM acquisitions) GROUP BY campaign_id),
    touches AS (
      SELECT m.campaign_id, m.contact_id, ct.account_id, m.added_at
        FROM campaign_members m
        JOIN contacts ct ON ct.id = m.contact_id
        ${ofCustomers('ct.account_id')}
       WHERE ${during('m.added_at')}
         AND m.added_at > (SELECT min(o.ordered_at) FROM analytics_purchases o WHERE o.account_id = ct.account_id)
         AND NOT EXISTS (SELECT 1 FROM acquisitions x WHERE x.account_id = ct.account_id AND x.campaign_id = m.campaign_id)),
    members AS (
      SELECT m.campaign_id, count(*) AS n FROM campaign_members m
       WHERE m.campaign_id IN (SELECT campaign_id FROM touches) GROUP BY m.campaign_id),
    campaign_cost AS (
      SELECT cc.campaign_id, sum(${conv('cc.amount', 'cc.currency', 'cc.incurred_on')}) AS cost
        FROM campaign_costs cc
       WHERE cc.kind = 'actual'
         AND cc.campaign_id IN (SELECT campaign_id FROM acquisitions UNION SELECT campaign_id FROM touches)
       GROUP BY cc.campaign_id),
    ledger AS (${branches.map(input.lines ? lineOf : totalOf).join('\n      UNION ALL\n      ')})`;
  if (input.lines)
    return `${ledger}
      SELECT account_id AS "accountId", source, source_id AS "sourceId", at, detail,
             ${PROFIT_COLUMNS.map((c) => `${c}::text AS ${c}`).join(', ')}
        FROM ledger ORDER BY at, source, source_id`;
  return `${ledger}
    SELECT c.id AS "accountId",
           ${PROFIT_COLUMNS.map((col) => `coalesce(sum(l.${col}), 0)::text AS ${col}`).join(', ')}
      FROM customers c LEFT JOIN ledger l ON l.account_id = c.id
     GROUP BY c.id ORDER BY c.id`;
}
