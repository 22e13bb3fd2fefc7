/** How a measure's value reads: money in the reporting currency, a count, a ratio 0..1, … */
export type MeasureType = 'money' | 'integer' | 'decimal' | 'ratio';

export interface CubeMeasure {
  name: string;
  /** An aggregate over the view's alias `m`. */
  sql: string;
  type: MeasureType;
  description: string;
  /**
   * Fields of operational records (`entity.field`, as roles name them) the measure is made
   * of: a caller to whom one is hidden may not use the measure.
   */
  reads?: readonly string[];
}

/** Tables a dimension's expression reads besides the view itself. */
export type CubeJoin = 'account' | 'family';

export interface CubeDimension {
  name: string;
  /** An expression over `m` (and `a` / `pf` when `join` says so). */
  sql: string;
  description: string;
  join?: CubeJoin;
  /** Fields of operational records (`entity.field`) the dimension shows; see CubeMeasure. */
  reads?: readonly string[];
}

/**
 * The same facts summed by day over dimensions that never split a record, so that a query
 * using only those reads far fewer rows. Each measure has its expression over the summary;
 * both expressions give the same figure for the same cell.
 */
export interface CubeSummary {
  view: string;
  /** The cube dimensions the summary keeps (time is always kept). */
  dimensions: readonly string[];
  /** Each measure's aggregate over the summary's alias `m`. */
  measures: Readonly<Record<string, string>>;
}

/** A named cube: measures and dimensions over one materialized view (`cube_…`). */
export interface CubeDefinition {
  name: string;
  description: string;
  view: string;
  /** The operational entity whose read scope limits the rows a caller aggregates. */
  entity: string;
  /** What the `time` dimension's day is. */
  time: string;
  measures: CubeMeasure[];
  dimensions: CubeDimension[];
  /** Whether account custom fields are dimensions (`account.customFields.<code>`). */
  accountFields: boolean;
  summary?: CubeSummary;
}

export const TIME_LEVELS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type TimeLevel = (typeof TIME_LEVELS)[number];

/** How each level's value is written: sortable as text, e.g. 2026-W07, 2026-Q1. */
export const TIME_FORMATS: Record<TimeLevel, string> = {
  day: 'YYYY-MM-DD',
  week: 'IYYY-"W"IW',
  month: 'YYYY-MM',
  quarter: 'YYYY-"Q"Q',
  year: 'YYYY',
};

const dim = (name: string, sql: string, description: string, join?: CubeJoin): CubeDimension => ({
  name,
  sql,
  description,
  ...(join ? { join } : {}),
});
const measure = (
  name: string,
  sql: string,
  type: MeasureType,
  description: string,
): CubeMeasure => ({ name, sql, type, description });

/** The same measure or dimension, made of these record fields. */
const reading = <T extends CubeMeasure | CubeDimension>(item: T, ...reads: string[]): T => ({
  ...item,
  reads,
});

const OWNERSHIP = [
  dim('owner', 'm.owner_id::text', 'Id of the record owner'),
  dim('team', 'm.team_id::text', 'Id of the record team'),
];
const CUSTOMER = [
  reading(
    dim('region', 'm.region', "Region of the account's first address, else its country"),
    'accounts.addresses',
  ),
  reading(dim('industry', 'm.industry', "The account's industry"), 'accounts.industry'),
  reading(
    dim('segment', 'm.segment', 'The account type: customer, prospect, partner, competitor'),
    'accounts.type',
  ),
  dim('account', 'm.account_id::text', 'Id of the account'),
];
const ratio = (part: string, whole: string) => `(${part})::numeric / nullif(${whole}, 0)`;

const SALES: CubeDefinition = {
  name: 'sales',
  description: 'Order lines of orders not cancelled (credits count negative), by the day booked',
  view: 'cube_sales',
  entity: 'orders',
  time: 'the day the line was booked, in the organization time zone',
  accountFields: true,
  measures: [
    reading(
      measure('revenue', 'sum(m.revenue)', 'money', 'Net line amounts after discount, before tax'),
      'orders.subtotal',
    ),
    reading(
      measure('cost', 'sum(coalesce(m.cost, 0))', 'money', 'Product cost price × quantity'),
      'products.costPrice',
    ),
    reading(
      measure('margin', 'sum(m.revenue - coalesce(m.cost, 0))', 'money', 'Revenue minus cost'),
      'orders.subtotal',
      'products.costPrice',
    ),
    measure(
      'orders',
      'count(DISTINCT m.order_id) FILTER (WHERE m.quantity > 0)',
      'integer',
      'Orders with a sale line in the cell: an order counts where it was booked, and a return booked later does not count it again',
    ),
    measure('lines', 'count(*)', 'integer', 'Order lines'),
    measure('quantity', 'sum(m.quantity)', 'decimal', 'Units sold'),
    reading(
      measure(
        'avgOrderValue',
        'sum(m.revenue) / nullif(count(DISTINCT m.order_id) FILTER (WHERE m.quantity > 0), 0)',
        'money',
        'Revenue per order',
      ),
      'orders.subtotal',
    ),
    measure(
      'unconverted',
      'count(*) FILTER (WHERE m.revenue IS NULL)',
      'integer',
      'Lines left out of money figures: no exchange rate to the reporting currency',
    ),
  ],
  dimensions: [
    ...CUSTOMER,
    dim('product', 'm.product_id::text', 'Id of the product'),
    dim(
      'productFamily',
      "coalesce(pf.name->>'en', pf.name->>'id')",
      'Name of the product family',
      'family',
    ),
    ...OWNERSHIP,
  ],
  summary: {
    view: 'cube_sales_daily',
    dimensions: ['region', 'industry', 'segment', 'owner', 'team'],
    measures: {
      revenue: 'sum(m.revenue)',
      cost: 'sum(m.cost)',
      margin: 'sum(m.margin)',
      orders: 'coalesce(sum(m.orders), 0)',
      lines: 'coalesce(sum(m.lines), 0)',
      quantity: 'sum(m.quantity)',
      avgOrderValue: 'sum(m.revenue) / nullif(sum(m.orders), 0)',
      unconverted: 'coalesce(sum(m.unconverted), 0)',
    },
  },
};

const OPPORTUNITIES: CubeDefinition = {
  name: 'opportunities',
  description: 'Opportunities, by the day they closed (open ones: the day they were created)',
  view: 'cube_opportunities',
  entity: 'opportunities',
  time: 'the day the opportunity closed, or was created while it is open',
  accountFields: true,
  measures: [
    measure('count', 'count(*)', 'integer', 'Opportunities'),
    measure('won', "count(*) FILTER (WHERE m.status = 'won')", 'integer', 'Won opportunities'),
    measure('lost', "count(*) FILTER (WHERE m.status = 'lost')", 'integer', 'Lost opportunities'),
    measure('open', "count(*) FILTER (WHERE m.status = 'open')", 'integer', 'Open opportunities'),
    measure(
      'winRate',
      ratio(
        "count(*) FILTER (WHERE m.status = 'won')",
        "count(*) FILTER (WHERE m.status <> 'open')",
      ),
      'ratio',
      'Won ÷ closed (won + lost)',
    ),
    reading(
      measure(
        'wonRevenue',
        "coalesce(sum(m.amount) FILTER (WHERE m.status = 'won'), 0)",
        'money',
        'Amount of won opportunities',
      ),
      'opportunities.amount',
    ),
    reading(
      measure(
        'pipelineValue',
        "coalesce(sum(m.amount) FILTER (WHERE m.status = 'open'), 0)",
        'money',
        'Amount of open opportunities',
      ),
      'opportunities.amount',
    ),
    reading(
      measure(
        'avgDealSize',
        "avg(m.amount) FILTER (WHERE m.status = 'won')",
        'money',
        'Average amount of won opportunities',
      ),
      'opportunities.amount',
    ),
  ],
  dimensions: [
    ...CUSTOMER,
    reading(dim('pipeline', 'm.pipeline', 'Pipeline key'), 'opportunities.pipeline'),
    reading(dim('stage', 'm.stage', 'Stage key'), 'opportunities.stage'),
    reading(dim('status', 'm.status', 'open, won or lost'), 'opportunities.status'),
    ...OWNERSHIP,
  ],
};

const CASES: CubeDefinition = {
  name: 'cases',
  description: 'Service cases, by the day they were opened',
  view: 'cube_cases',
  entity: 'cases',
  time: 'the day the case was created',
  accountFields: true,
  measures: [
    measure('cases', 'count(*)', 'integer', 'Cases'),
    measure(
      'openCases',
      'count(*) FILTER (WHERE m.open)',
      'integer',
      'Cases not resolved or closed',
    ),
    measure(
      'breachedCases',
      'count(*) FILTER (WHERE m.breached)',
      'integer',
      'Cases that missed a first-response or resolution target',
    ),
    measure(
      'breachRate',
      ratio('count(*) FILTER (WHERE m.breached)', 'count(*)'),
      'ratio',
      'Breached ÷ cases',
    ),
    measure(
      'avgResolutionHours',
      'avg(m.resolution_hours)',
      'decimal',
      'Hours from creation to resolution, over resolved cases',
    ),
  ],
  dimensions: [
    ...CUSTOMER,
    reading(
      dim('channel', 'm.channel', 'phone, email, web, portal, chat, walk_in'),
      'cases.channel',
    ),
    reading(dim('type', 'm.type', 'question, problem, complaint, request'), 'cases.type'),
    reading(dim('priority', 'm.priority', 'low, normal, high, urgent'), 'cases.priority'),
    reading(dim('status', 'm.status', 'Case status'), 'cases.status'),
    ...OWNERSHIP,
  ],
};

const CALLS: CubeDefinition = {
  name: 'calls',
  description: 'Calls of the call centre, by the day they started',
  view: 'cube_calls',
  entity: 'calls',
  time: 'the day the call started',
  accountFields: false,
  measures: [
    measure('calls', 'count(*)', 'integer', 'Calls'),
    measure(
      'answered',
      "count(*) FILTER (WHERE m.outcome = 'answered')",
      'integer',
      'Answered calls',
    ),
    measure(
      'answerRate',
      ratio("count(*) FILTER (WHERE m.outcome = 'answered')", 'count(*)'),
      'ratio',
      'Answered ÷ calls',
    ),
    measure(
      'handleTime',
      "avg(m.duration_seconds) FILTER (WHERE m.outcome = 'answered')",
      'decimal',
      'Average seconds of an answered call',
    ),
    reading(
      measure('talkSeconds', 'sum(m.duration_seconds)', 'integer', 'Seconds on the line'),
      'calls.durationSeconds',
    ),
    reading(
      measure('avgWaitSeconds', 'avg(m.wait_seconds)', 'decimal', 'Average seconds waited'),
      'calls.waitSeconds',
    ),
  ],
  dimensions: [
    reading(dim('direction', 'm.direction', 'inbound or outbound'), 'calls.direction'),
    reading(
      dim('outcome', 'm.outcome', 'answered, missed, voicemail, callback_requested'),
      'calls.outcome',
    ),
    ...OWNERSHIP,
  ],
};

const CAMPAIGNS: CubeDefinition = {
  name: 'campaigns',
  description: 'Campaigns with their actual costs, members and responses, by the day they start',
  view: 'cube_campaigns',
  entity: 'campaigns',
  time: 'the day the campaign starts (else the day it was created)',
  accountFields: false,
  measures: [
    measure('campaigns', 'count(*)', 'integer', 'Campaigns'),
    measure('cost', 'sum(m.cost)', 'money', 'Actual costs'),
    measure('members', 'sum(m.members)', 'integer', 'Contacts targeted'),
    measure('responses', 'sum(m.responses)', 'integer', 'Responses'),
    measure(
      'responseRate',
      ratio('sum(m.responses)', 'sum(m.members)'),
      'ratio',
      'Responses ÷ members',
    ),
    measure(
      'costPerResponse',
      'sum(m.cost) / nullif(sum(m.responses), 0)',
      'money',
      'Actual cost ÷ responses',
    ),
  ],
  dimensions: [
    dim('campaign', 'm.campaign', 'Campaign name'),
    dim('channel', 'm.channel', 'Channel, else the campaign type'),
    dim('type', 'm.type', 'Campaign type'),
    dim('status', 'm.status', 'Campaign status'),
    ...OWNERSHIP,
  ],
};

/** Every cube, by name. */
export const CUBES: ReadonlyMap<string, CubeDefinition> = new Map(
  [SALES, OPPORTUNITIES, CASES, CALLS, CAMPAIGNS].map((c) => [c.name, c]),
);

/** Every view of the cubes, each summary right after the view it sums (the refresh order). */
export const CUBE_VIEWS = [...CUBES.values()].flatMap((c) =>
  c.summary ? [c.view, c.summary.view] : [c.view],
);
