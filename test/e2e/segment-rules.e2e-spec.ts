import fc from 'fast-check';
import pg from 'pg';
import { CONTACT_DEFINITION } from '#operational/customers/index.js';
import { BUILT_IN_FACTS } from '#operational/marketing/segments/facts/built-in-facts.js';
import { FactRegistry } from '#operational/marketing/segments/rules/fact-registry.js';
import { checkRule } from '#operational/marketing/segments/rules/rule-checker.js';
import { segmentQuery } from '#operational/marketing/segments/rules/rule-compiler.js';
import { RuleValidationError } from '#operational/marketing/segments/rules/rule-tree.js';
import { customization } from '#platform/customization/custom-field-registry.js';
import { SqlParams } from '#platform/query/index.js';
import { querySchemaOf } from '#platform/records/index.js';
import { datasetArb, loadDataset, seedFixtures } from '../support/segment-dataset.js';
import { evaluate, ruleArb } from '../support/segment-evaluator.js';
import { freshDatabase } from '../support/test-server.js';

customization.configure({
  contacts: {
    fields: [
      { code: 'score', type: 'number', label: { en: 'Score' } },
      { code: 'vip', type: 'boolean', label: { en: 'VIP' } },
      {
        code: 'tier',
        type: 'picklist',
        label: { en: 'Tier' },
        options: [
          { value: 'gold', label: { en: 'Gold' } },
          { value: 'silver', label: { en: 'Silver' } },
        ],
      },
    ],
  },
});

describe('segment rules compiled to SQL', () => {
  let db: pg.Pool;
  const facts = new FactRegistry();
  for (const f of BUILT_IN_FACTS) facts.register(f);
  const env = () => ({ contacts: querySchemaOf(CONTACT_DEFINITION), facts });

  beforeAll(async () => {
    db = new pg.Pool({ connectionString: await freshDatabase(), max: 2 });
    await seedFixtures(db);
  });
  afterAll(async () => {
    await db.end();
  });

  const run = async (rule: unknown) => {
    const params = new SqlParams();
    const sql = segmentQuery(checkRule(rule, env()), { params, facts });
    const { rows } = await db.query<{ id: string }>(sql, params.values);
    return new Set(rows.map((r) => r.id));
  };

  it('select exactly the contacts an in-memory evaluation of the same rule selects', async () => {
    const now = new Date();
    await fc.assert(
      fc.asyncProperty(
        datasetArb,
        fc.array(ruleArb(now), { minLength: 15, maxLength: 15 }),
        async (dataset, rules) => {
          await loadDataset(db, dataset, now);
          for (const rule of rules) {
            const expected = evaluate(rule, dataset, now);
            const actual = await run(rule);
            expect({ rule, ids: [...actual].sort() }).toEqual({ rule, ids: [...expected].sort() });
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it('take values only as parameters, so text that looks like SQL is matched as text', async () => {
    const params = new SqlParams();
    const evil = "x' OR '1'='1";
    const sql = segmentQuery(
      checkRule({ all: [{ field: 'lastName', op: 'eq', value: evil }] }, env()),
      { params, facts },
    );
    expect(sql).not.toContain(evil);
    expect(params.values).toContain(evil);
    expect((await db.query(sql, params.values)).rows).toEqual([]);
  });

  it('name every bad node by its JSON pointer', () => {
    const problems = (rule: unknown) => {
      try {
        checkRule(rule, env());
      } catch (e) {
        if (e instanceof RuleValidationError) return e.problems;
        throw e;
      }
      throw new Error('rule passed');
    };
    expect(
      problems({
        all: [
          { field: 'lastName', op: 'eq', value: 'a' },
          { field: 'nickname', op: 'eq', value: 'a' },
          { any: [{ field: 'customFields.score', op: 'gt', value: 'many' }] },
          { field: 'customFields.vip', op: 'contains', value: 'x' },
          { fact: 'purchased', productId: 'not-a-uuid' },
          { fact: 'teleported' },
          { fact: 'orderCount', gte: 1, lte: 3 },
          { field: 'createdAt', op: 'withinLast', value: { days: 0 } },
          { field: 'account.industry', op: 'sounds', value: 'x' },
        ],
      }).map((p) => [p.pointer, p.rule]),
    ).toEqual([
      ['/all/1/field', 'unknownField'],
      ['/all/2/any/0/value', 'isDecimal'],
      ['/all/3/op', 'isIn'],
      ['/all/4/productId', 'isUuid'],
      ['/all/5/fact', 'unknownFact'],
      ['/all/6', 'exactlyOne'],
      ['/all/7/value/days', 'isInt'],
      ['/all/8/op', 'isIn'],
    ]);
    expect(problems({ all: [] }).map((p) => p.pointer)).toEqual(['/all']);
    expect(problems({ field: 'lifecycleStage', op: 'eq', value: 'alien' })[0]).toMatchObject({
      pointer: '/value',
      rule: 'isIn',
    });
    expect(problems({ field: 'lastName', op: 'eq', value: 'a', extra: 1 })[0].pointer).toBe(
      '/extra',
    );
  });
});
