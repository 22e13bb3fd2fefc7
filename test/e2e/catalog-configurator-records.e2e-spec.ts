import type { CatalogRecord } from '../support/catalog-factories.js';
import { configuratorWorld, type ConfiguratorWorld } from '../support/configurator-factories.js';
import { eventsOf } from '../support/sales-factories.js';

const UNKNOWN = '0192f000-0000-7000-8000-0000000000ee';

describe('product configurator: records and saved configurations', () => {
  let w: ConfiguratorWorld;
  let server: ConfiguratorWorld['server'];
  let admin: ConfiguratorWorld['admin'];
  let people: ConfiguratorWorld['people'];
  let laptop: CatalogRecord;
  let memory: CatalogRecord;
  let o: ConfiguratorWorld['o'];
  const config = (selections: unknown[], fields: Record<string, unknown> = {}) =>
    w.config(selections, fields);
  const pick = (...keys: (keyof ConfiguratorWorld['o'])[]) => w.pick(...keys);
  const VALID = () => w.valid();

  beforeAll(async () => {
    w = await configuratorWorld('configurator-records');
    ({ server, admin, people, laptop, memory, o } = w);
  });
  afterAll(async () => {
    await server.stop();
  });

  describe('saved configurations', () => {
    it('saves a priced configuration, reprices it on change with history and events, and checks ETags', async () => {
      const created = await server.http
        .post('/api/v1/configurations')
        .set(admin)
        .send({ ...config(VALID()), name: 'IT team laptops' });
      expect(created.status).toBe(201);
      expect(created.headers.location).toBe(`/api/v1/configurations/${created.body.id}`);
      expect(created.body.total).toEqual({ amount: '14789568', currency: 'IDR' });
      expect(created.body.lines).toHaveLength(7);
      const read = await server.http.get(`/api/v1/configurations/${created.body.id}`).set(admin);
      const patched = await server.http
        .patch(`/api/v1/configurations/${created.body.id}`)
        .set({ ...admin, 'if-match': read.headers.etag })
        .send({ quantity: '2' });
      expect(patched.status).toBe(200);
      expect(patched.body.total.amount).toBe('29579135');
      const stale = await server.http
        .patch(`/api/v1/configurations/${created.body.id}`)
        .set({ ...admin, 'if-match': read.headers.etag })
        .send({ quantity: '4' });
      expect(stale.status).toBe(412);
      const broken = await server.http
        .patch(`/api/v1/configurations/${created.body.id}`)
        .set(admin)
        .send({ selections: pick('hub', 'dock') });
      expect(broken.status).toBe(422);
      const history = await server.http
        .get(`/api/v1/configurations/${created.body.id}/history`)
        .set(admin);
      expect(history.body.data[0].changes.map((c: { field: string }) => c.field)).toEqual(
        expect.arrayContaining(['quantity', 'total']),
      );
      const events = (await eventsOf(server, created.body.id)).map((e) => e.type);
      expect(events).toEqual([
        'configuration.created',
        'configuration.priced',
        'configuration.updated',
        'configuration.priced',
      ]);
      const listed = await server.http
        .get(
          `/api/v1/configurations?filter[productId][eq]=${laptop.id}&filter[total.amount][gte]=20000000`,
        )
        .set(admin);
      expect(listed.body.data.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
    });

    it("answers 404 for another team's configuration and lets sellers read the model but not change it", async () => {
      const [teamA, teamB] = [await people.team(), await people.team()];
      const repA = await people.userWithToken('sales_rep', { teamIds: [teamA.id] });
      const repB = await people.userWithToken('sales_rep', { teamIds: [teamB.id] });
      const mine = await server.http
        .post('/api/v1/configurations')
        .set(repA.auth)
        .send(config(VALID()));
      expect(mine.status).toBe(201);
      const theirs = await server.http.get(`/api/v1/configurations/${mine.body.id}`).set(repB.auth);
      expect(theirs.status).toBe(404);
      const patch = await server.http
        .patch(`/api/v1/configurations/${mine.body.id}`)
        .set(repB.auth)
        .send({ quantity: '2' });
      expect(patch.status).toBe(404);
      expect((await server.http.get('/api/v1/product-option-groups').set(repB.auth)).status).toBe(
        200,
      );
      const write = await server.http
        .post('/api/v1/product-option-groups')
        .set(repB.auth)
        .send({ productId: laptop.id, name: { en: 'Colour' } });
      expect(write.status).toBe(403);
    });

    it.each([
      ['missing currency', { currency: undefined }, 'currency'],
      ['a wrong type', { selections: {} }, 'selections'],
      ['a name too long', { name: 'n'.repeat(201) }, 'name'],
      ['an unknown field', { total: { amount: '1', currency: 'IDR' } }, 'total'],
      ['an unknown product', { productId: UNKNOWN }, 'productId'],
    ])('answers 400 for %s', async (_what, fields, field) => {
      const res = await server.http
        .post('/api/v1/configurations')
        .set(admin)
        .send(config(VALID(), fields));
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
    it('prices a saved configuration again on another day without changing it', async () => {
      const saved = await server.http
        .post('/api/v1/configurations')
        .set(admin)
        .send(config(VALID()));
      expect(saved.body.total.amount).toBe('14789568');
      const promo = await w.make.priceBook({ name: 'Promo Juni', validFrom: '2026-06-01' });
      await w.make.entry(promo.id, laptop.id, '9000000');
      const again = (day?: string, auth = admin) =>
        server.http
          .post(`/api/v1/configurations/${saved.body.id}/price`)
          .query(day ? { day } : {})
          .set(auth);
      const june = await again('2026-06-02');
      expect(june.status).toBe(200);
      expect(june.body).toMatchObject({
        productId: laptop.id,
        date: '2026-06-02',
        total: { amount: '13789568', currency: 'IDR' },
      });
      expect(june.body.lines[0].priceBookId).toBe(promo.id);
      expect((await again()).body.total.amount).toBe('14789568');
      const stored = await server.http.get(`/api/v1/configurations/${saved.body.id}`).set(admin);
      expect(stored.body.total.amount).toBe('14789568');
      expect((await again('2026-02-30')).status).toBe(400);
      const outsider = await people.userWithToken('sales_rep');
      expect((await again(undefined, outsider.auth)).status).toBe(404);
    });
  });

  describe('model records', () => {
    it.each([
      ['product-option-groups', () => ({ productId: laptop.id }), 'name'],
      [
        'product-option-groups',
        () => ({ productId: laptop.id, name: { en: 'X' }, minChoices: 3, maxChoices: 2 }),
        'maxChoices',
      ],
      [
        'product-option-groups',
        () => ({ productId: laptop.id, name: { en: 'x'.repeat(201) } }),
        'name.en',
      ],
      [
        'product-option-groups',
        () => ({ productId: laptop.id, name: { en: 'X' }, size: 1 }),
        'size',
      ],
      [
        'product-options',
        () => ({
          groupId: memory.id,
          optionProductId: o.dock.product!.id,
          surcharges: [{ amount: '1', currency: 'IDR' }],
        }),
        'surcharges',
      ],
      ['product-options', () => ({ groupId: memory.id }), 'optionProductId'],
      [
        'product-options',
        () => ({ groupId: memory.id, optionProductId: laptop.id }),
        'optionProductId',
      ],
      [
        'product-options',
        () => ({
          groupId: memory.id,
          name: { en: 'X' },
          surcharges: [{ amount: '-1', currency: 'IDR' }],
        }),
        'surcharges[0].amount',
      ],
      [
        'product-option-rules',
        () => ({ kind: 'requires', optionId: o.dock.id }),
        'targetOptionIds',
      ],
      [
        'product-option-rules',
        () => ({ kind: 'forbids', optionId: o.dock.id, targetOptionIds: [o.hub.id] }),
        'kind',
      ],
      [
        'product-option-rules',
        () => ({ kind: 'excludes', optionId: o.dock.id, targetOptionIds: [UNKNOWN] }),
        'targetOptionIds',
      ],
      [
        'product-option-rules',
        () => ({ kind: 'quantity-limit', optionId: o.dock.id }),
        'maxQuantity',
      ],
      [
        'product-bundles',
        () => ({
          productId: laptop.id,
          name: { en: 'B' },
          optionIds: [o.dock.id],
          discountPercent: '5',
        }),
        'optionIds',
      ],
      [
        'product-bundles',
        () => ({
          productId: laptop.id,
          name: { en: 'B' },
          optionIds: [o.dock.id, o.hub.id],
          discountPercent: '101',
        }),
        'discountPercent',
      ],
      [
        'configuration-discounts',
        () => ({ name: 'D', discountPercent: '5', validFrom: '2026-02-01', validTo: '2026-01-01' }),
        'validTo',
      ],
    ])('%s answers 400 for a bad body (%#)', async (path, body, field) => {
      const res = await server.http.post(`/api/v1/${path}`).set(admin).send(body());
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('lists options of a group by filter, with ETags, history and events', async () => {
      const listed = await server.http
        .get(`/api/v1/product-options?filter[groupId][eq]=${memory.id}&sort=createdAt`)
        .set(admin);
      expect(listed.body.data.map((x: { id: string }) => x.id)).toEqual([o.ram16.id, o.ram32.id]);
      expect(listed.body.data[0].productId).toBe(laptop.id);
      const read = await server.http.get(`/api/v1/product-options/${o.ram16.id}`).set(admin);
      const ok = await server.http
        .patch(`/api/v1/product-options/${o.ram16.id}`)
        .set({ ...admin, 'if-match': read.headers.etag })
        .send({ sortOrder: 5 });
      expect(ok.status).toBe(200);
      const stale = await server.http
        .patch(`/api/v1/product-options/${o.ram16.id}`)
        .set({ ...admin, 'if-match': read.headers.etag })
        .send({ sortOrder: 6 });
      expect(stale.status).toBe(412);
      const history = await server.http
        .get(`/api/v1/product-options/${o.ram16.id}/history`)
        .set(admin);
      expect(history.body.data[0].changes).toEqual([{ field: 'sortOrder', old: 0, new: 5 }]);
      expect((await eventsOf(server, o.ram16.id)).map((e) => e.type)).toEqual([
        'product-option.created',
        'product-option.updated',
      ]);
    });
  });
});
