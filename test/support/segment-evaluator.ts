import fc from 'fast-check';
import {
  FAMILY_IDS,
  INDUSTRIES,
  PRODUCT_FAMILY,
  PRODUCT_IDS,
  STAGES,
  TIERS,
  type Dataset,
} from './segment-dataset.js';

type Rule = Record<string, unknown>;
const word = fc.stringMatching(/^[a-d]{1,3}$/);
const days = fc.integer({ min: 1, max: 61 });
/** A time `n` whole days before the reference time: between two dataset times, never on one. */
export const daysAgo = (now: Date, n: number) => new Date(now.getTime() - n * 86_400_000);

/** Random rules over the dataset's fields and the built-in facts. */
export function ruleArb(now: Date): fc.Arbitrary<Rule> {
  const cond = (field: string, op: string, value: fc.Arbitrary<unknown>) =>
    value.map((v) => ({ field, op, value: v }));
  const isNull = (field: string) => cond(field, 'isNull', fc.boolean());
  const instant = fc.integer({ min: 0, max: 61 }).map((n) => daysAgo(now, n).toISOString());
  const leaf: fc.Arbitrary<Rule> = fc.oneof(
    cond('lastName', 'eq', word),
    cond('lastName', 'ne', word),
    cond('lastName', 'in', fc.array(word, { minLength: 1, maxLength: 3 })),
    cond('lastName', 'nin', fc.array(word, { minLength: 1, maxLength: 3 })),
    cond('lastName', 'contains', word),
    cond('lastName', 'startsWith', word),
    cond('lastName', 'gt', word),
    cond(
      'email',
      'eq',
      word.map((w) => `${w.toUpperCase()}@x.io`),
    ),
    cond('email', 'contains', word),
    isNull('email'),
    cond('lifecycleStage', 'eq', fc.constantFrom(...STAGES)),
    cond('lifecycleStage', 'nin', fc.subarray(STAGES, { minLength: 1 })),
    cond(
      'createdAt',
      'withinLast',
      days.map((d) => ({ days: d })),
    ),
    cond('createdAt', 'lt', instant),
    cond(
      'createdAt',
      'between',
      fc.tuple(instant, instant).map(([a, b]) => (a < b ? [a, b] : [b, a])),
    ),
    cond('customFields.score', 'gte', fc.integer({ min: 0, max: 10 })),
    cond(
      'customFields.score',
      'between',
      fc
        .tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }))
        .map(([a, b]) => [Math.min(a, b), Math.max(a, b)]),
    ),
    cond('customFields.score', 'ne', fc.integer({ min: 0, max: 10 })),
    isNull('customFields.score'),
    cond('customFields.vip', 'eq', fc.boolean()),
    cond('customFields.vip', 'ne', fc.boolean()),
    cond('customFields.tier', 'in', fc.subarray(TIERS, { minLength: 1 })),
    isNull('customFields.tier'),
    cond('account.industry', 'eq', fc.constantFrom(...INDUSTRIES)),
    cond('account.industry', 'ne', fc.constantFrom(...INDUSTRIES)),
    cond('account.industry', 'nin', fc.subarray(INDUSTRIES, { minLength: 1 })),
    isNull('account.industry'),
    cond('account.employees', 'gt', fc.integer({ min: 0, max: 100 })),
    fc.record(
      {
        fact: fc.constant('purchased'),
        productId: fc.constantFrom(...PRODUCT_IDS),
        withinDays: days,
      },
      { requiredKeys: ['fact', 'productId'] },
    ),
    fc.record({ fact: fc.constant('purchased'), productFamilyId: fc.constantFrom(...FAMILY_IDS) }),
    fc
      .tuple(
        fc.constantFrom('gt', 'lte'),
        fc.integer({ min: 0, max: 2000 }),
        fc.constantFrom('IDR', 'USD'),
      )
      .map(([op, n, currency]) => ({ fact: 'lifetimeRevenue', currency, [op]: String(n) })),
    fc
      .tuple(
        fc.constantFrom('eq', 'gte'),
        fc.integer({ min: 0, max: 3 }),
        fc.option(days, { nil: undefined }),
      )
      .map(([op, n, d]) => ({ fact: 'orderCount', [op]: n, ...(d ? { withinDays: d } : {}) })),
    fc.record(
      {
        fact: fc.constant('hasActivity'),
        type: fc.constantFrom('call', 'email'),
        withinDays: days,
      },
      { requiredKeys: ['fact'] },
    ),
  );
  const { tree } = fc.letrec<{ tree: Rule }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('tree'), { minLength: 1, maxLength: 3 }).map((all) => ({ all })),
      fc.array(tie('tree'), { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
      tie('tree').map((not) => ({ not })),
    ),
  }));
  return tree;
}

type Contact = Dataset['contacts'][number];

/** What a rule means, written independently of the SQL: the reference the compiler must match. */
export function evaluate(rule: Rule, d: Dataset, now: Date): Set<string> {
  const at = (ageDays: number) => now.getTime() - (ageDays + 0.5) * 86_400_000;
  const since = (n: number) => now.getTime() - n * 86_400_000;
  const valueOf = (c: Contact, field: string): unknown => {
    const account = c.accountIndex === null ? null : d.accounts[c.accountIndex];
    switch (field) {
      case 'lastName':
        return c.lastName;
      case 'email':
        return c.email;
      case 'lifecycleStage':
        return c.lifecycleStage;
      case 'createdAt':
        return at(c.ageDays);
      case 'customFields.score':
        return c.score;
      case 'customFields.vip':
        return c.vip;
      case 'customFields.tier':
        return c.tier;
      case 'account.industry':
        return account?.industry ?? null;
      case 'account.employees':
        return account?.employees ?? null;
    }
    throw new Error(`no field ${field}`);
  };
  const norm = (field: string, v: unknown): unknown => {
    if (v === null || v === undefined) return null;
    if (field === 'createdAt') return typeof v === 'number' ? v : Date.parse(String(v));
    if (field === 'email') return String(v).toLowerCase();
    return v;
  };
  const condition = (c: Contact, r: Rule): boolean => {
    const field = r.field as string;
    const v = norm(field, valueOf(c, field));
    const x = r.value;
    // Text and numbers alike: JavaScript compares both as PostgreSQL does for these values.
    const one = (y: unknown) => norm(field, y) as number;
    switch (r.op) {
      case 'isNull':
        return (v === null) === x;
      case 'eq':
        return v !== null && v === one(x);
      case 'ne':
        return v === null || v !== one(x);
      case 'in':
        return v !== null && (x as unknown[]).map(one).includes(v as number);
      case 'nin':
        return v === null || !(x as unknown[]).map(one).includes(v as number);
      case 'gt':
        return v !== null && (v as number) > one(x);
      case 'gte':
        return v !== null && (v as number) >= one(x);
      case 'lt':
        return v !== null && (v as number) < one(x);
      case 'between': {
        const [lo, hi] = (x as unknown[]).map(one);
        return v !== null && (v as number) >= lo && (v as number) <= hi;
      }
      case 'contains':
        return v !== null && String(v).toLowerCase().includes(String(x).toLowerCase());
      case 'startsWith':
        return v !== null && String(v).toLowerCase().startsWith(String(x).toLowerCase());
      case 'withinLast':
        return (
          v !== null &&
          (v as number) >= since((x as { days: number }).days) &&
          (v as number) <= now.getTime()
        );
    }
    throw new Error(`no op ${String(r.op)}`);
  };
  const compare = (a: number, r: Rule): boolean => {
    if ('eq' in r) return a === Number(r.eq);
    if ('gt' in r) return a > Number(r.gt);
    if ('gte' in r) return a >= Number(r.gte);
    if ('lt' in r) return a < Number(r.lt);
    return a <= Number(r.lte);
  };
  const fact = (ci: number, r: Rule): boolean => {
    const orders = d.orders.filter(
      (o) =>
        o.contactIndex === ci &&
        o.status !== 'cancelled' &&
        (r.withinDays === undefined || at(o.ageDays) >= since(r.withinDays as number)),
    );
    switch (r.fact) {
      case 'purchased':
        return orders.some((o) =>
          o.productIndexes.some((p) =>
            r.productId
              ? PRODUCT_IDS[p] === r.productId
              : FAMILY_IDS[PRODUCT_FAMILY[p]] === r.productFamilyId,
          ),
        );
      case 'lifetimeRevenue':
        return compare(
          orders.filter((o) => o.currency === r.currency).reduce((s, o) => s + o.subtotal, 0),
          r,
        );
      case 'orderCount':
        return compare(orders.length, r);
      case 'hasActivity':
        return d.activities.some(
          (a) =>
            a.contactIndex === ci &&
            a.status !== 'cancelled' &&
            (r.type === undefined || a.type === r.type) &&
            (r.withinDays === undefined || at(a.ageDays) >= since(r.withinDays as number)),
        );
    }
    throw new Error(`no fact ${String(r.fact)}`);
  };
  const holds = (ci: number, r: Rule): boolean => {
    if ('all' in r) return (r.all as Rule[]).every((x) => holds(ci, x));
    if ('any' in r) return (r.any as Rule[]).some((x) => holds(ci, x));
    if ('not' in r) return !holds(ci, r.not as Rule);
    if ('fact' in r) return fact(ci, r);
    return condition(d.contacts[ci], r);
  };
  return new Set(d.contacts.filter((_, i) => holds(i, rule)).map((c) => c.id));
}
