import fc from 'fast-check';
import type pg from 'pg';

/** Contacts, accounts, orders and activities small enough to evaluate rules over in memory. */
export interface Dataset {
  accounts: { id: string; industry: string | null; employees: number | null }[];
  contacts: {
    id: string;
    lastName: string;
    email: string | null;
    lifecycleStage: string;
    /** Whole days before the reference time, plus half a day: never on a boundary. */
    ageDays: number;
    accountIndex: number | null;
    score: number | null;
    vip: boolean | null;
    tier: string | null;
  }[];
  orders: {
    contactIndex: number;
    status: 'placed' | 'cancelled';
    ageDays: number;
    subtotal: number;
    currency: 'IDR' | 'USD';
    productIndexes: number[];
  }[];
  activities: {
    contactIndex: number;
    type: 'call' | 'email';
    status: 'planned' | 'cancelled';
    ageDays: number;
    asParticipant: boolean;
  }[];
}

export const PRODUCT_IDS = [
  '0192f000-0000-7000-8000-00000000a001',
  '0192f000-0000-7000-8000-00000000a002',
  '0192f000-0000-7000-8000-00000000a003',
];
export const FAMILY_IDS = [
  '0192f000-0000-7000-8000-00000000b001',
  '0192f000-0000-7000-8000-00000000b002',
];
/** The family of each product. */
export const PRODUCT_FAMILY = [0, 0, 1];
export const INDUSTRIES = ['retail', 'banking', 'mining'];
export const STAGES = ['lead', 'customer', 'subscriber'];
export const TIERS = ['gold', 'silver'];
const ADMIN_ROLE = '0192f000-0000-7000-8000-000000000001';
export const OWNER_ID = '0192f000-0000-7000-8000-00000000c001';

const word = fc.stringMatching(/^[a-d]{1,4}$/);
const id = (prefix: string, i: number) =>
  `0192f000-0000-7000-${prefix}-${(i + 1).toString(16).padStart(12, '0')}`;

export const datasetArb: fc.Arbitrary<Dataset> = fc
  .record({
    accounts: fc.array(
      fc.record({
        industry: fc.option(fc.constantFrom(...INDUSTRIES)),
        employees: fc.option(fc.integer({ min: 0, max: 100 })),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    contacts: fc.array(
      fc.record({
        lastName: word,
        email: fc.option(
          fc.tuple(word, fc.boolean()).map(([w, up]) => `${up ? w.toUpperCase() : w}@x.io`),
        ),
        lifecycleStage: fc.constantFrom(...STAGES),
        ageDays: fc.integer({ min: 0, max: 60 }),
        accountIndex: fc.option(fc.nat(3)),
        score: fc.option(fc.integer({ min: 0, max: 10 })),
        vip: fc.option(fc.boolean()),
        tier: fc.option(fc.constantFrom(...TIERS)),
      }),
      { minLength: 1, maxLength: 25 },
    ),
    orders: fc.array(
      fc.record({
        contactIndex: fc.nat(24),
        status: fc.constantFrom('placed' as const, 'cancelled' as const),
        ageDays: fc.integer({ min: 0, max: 60 }),
        subtotal: fc.integer({ min: 1, max: 1000 }),
        currency: fc.constantFrom('IDR' as const, 'USD' as const),
        productIndexes: fc.uniqueArray(fc.nat(2), { minLength: 1, maxLength: 3 }),
      }),
      { maxLength: 30 },
    ),
    activities: fc.array(
      fc.record({
        contactIndex: fc.nat(24),
        type: fc.constantFrom('call' as const, 'email' as const),
        status: fc.constantFrom('planned' as const, 'cancelled' as const),
        ageDays: fc.integer({ min: 0, max: 60 }),
        asParticipant: fc.boolean(),
      }),
      { maxLength: 15 },
    ),
  })
  .map((d) => ({
    accounts: d.accounts.map((a, i) => ({ id: id('8001', i), ...a })),
    contacts: d.contacts.map((c, i) => ({
      id: id('8002', i),
      ...c,
      accountIndex:
        c.accountIndex === null ? null : Math.min(c.accountIndex, d.accounts.length - 1),
    })),
    orders: d.orders
      .map((o) => ({ ...o, contactIndex: o.contactIndex % d.contacts.length }))
      .filter((o) => o.contactIndex < d.contacts.length),
    activities: d.activities.map((a) => ({
      ...a,
      contactIndex: a.contactIndex % d.contacts.length,
    })),
  }));

/** The owner, the product families and products every dataset uses; once per database. */
export async function seedFixtures(db: pg.Pool): Promise<void> {
  await db.query(
    `INSERT INTO users (id, email, email_normalized, password_hash, role_id) VALUES ($1, 'o@x.io', 'o@x.io', 'x', $2)`,
    [OWNER_ID, ADMIN_ROLE],
  );
  for (const [i, f] of FAMILY_IDS.entries())
    await db.query(
      `INSERT INTO product_families (id, name, search_name, owner_id) VALUES ($1, $2, $3, $4)`,
      [f, { en: `F${i}` }, `f${i}`, OWNER_ID],
    );
  for (const [i, p] of PRODUCT_IDS.entries())
    await db.query(
      `INSERT INTO products (id, sku, name, family_id, tax_category, search_name, owner_id)
       VALUES ($1, $2, $3, $4, 'standard', $2, $5)`,
      [p, `P${i}`, { en: `P${i}` }, FAMILY_IDS[PRODUCT_FAMILY[i]], OWNER_ID],
    );
}

/** Replaces the previous dataset with this one; times are `now - ageDays - 12h` of `now`. */
export async function loadDataset(db: pg.Pool, d: Dataset, now: Date): Promise<void> {
  const at = (ageDays: number) => new Date(now.getTime() - (ageDays + 0.5) * 86_400_000);
  await db.query(
    `TRUNCATE activities, order_lines, orders, contacts, accounts RESTART IDENTITY CASCADE`,
  );
  for (const a of d.accounts)
    await db.query(
      `INSERT INTO accounts (id, name, industry, employees, owner_id, name_key) VALUES ($1, 'A', $2, $3, $4, 'a')`,
      [a.id, a.industry, a.employees, OWNER_ID],
    );
  for (const c of d.contacts) {
    const custom: Record<string, unknown> = {};
    if (c.score !== null) custom.score = c.score;
    if (c.vip !== null) custom.vip = c.vip;
    if (c.tier !== null) custom.tier = c.tier;
    await db.query(
      `INSERT INTO contacts (id, last_name, email, lifecycle_stage, created_at, account_id, custom_fields, owner_id, name_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'k')`,
      [
        c.id,
        c.lastName,
        c.email,
        c.lifecycleStage,
        at(c.ageDays),
        c.accountIndex === null ? null : d.accounts[c.accountIndex].id,
        custom,
        OWNER_ID,
      ],
    );
  }
  for (const [i, o] of d.orders.entries()) {
    const orderId = id('8003', i);
    const amount = String(o.subtotal);
    await db.query(
      `INSERT INTO orders (id, account_id, contact_id, currency, status, ordered_at, subtotal_amount, subtotal_currency,
                           tax_total_amount, tax_total_currency, total_amount, total_currency, owner_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $4, 0, $4, $7, $4, $8)`,
      [
        orderId,
        d.accounts[0].id,
        d.contacts[o.contactIndex].id,
        o.currency,
        o.status,
        at(o.ageDays),
        amount,
        OWNER_ID,
      ],
    );
    for (const [n, p] of o.productIndexes.entries())
      await db.query(
        `INSERT INTO order_lines (id, order_id, line_no, kind, product_id, sku, product_name, quantity, unit_price,
                                  tax_category, tax_rate, net_amount, currency, account_id, booked_at)
         VALUES ($1, $2, $3, 'sale', $4, 'S', 'P', 1, 1, 'standard', 0, 1, $5, $6, $7)`,
        [
          id('8004', i * 3 + n),
          orderId,
          n + 1,
          PRODUCT_IDS[p],
          o.currency,
          d.accounts[0].id,
          at(o.ageDays),
        ],
      );
  }
  for (const [i, a] of d.activities.entries()) {
    const contactId = d.contacts[a.contactIndex].id;
    await db.query(
      `INSERT INTO activities (id, type, subject, status, occurred_at, related_entity, related_id, participant_contact_ids, owner_id)
       VALUES ($1, $2, 'S', $3, $4, $5, $6, $7, $8)`,
      [
        id('8005', i),
        a.type,
        a.status,
        at(a.ageDays),
        a.asParticipant ? null : 'contacts',
        a.asParticipant ? null : contactId,
        a.asParticipant ? [contactId] : [],
        OWNER_ID,
      ],
    );
  }
}
