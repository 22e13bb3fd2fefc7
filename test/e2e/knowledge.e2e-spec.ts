import { randomUUID } from 'node:crypto';
import { accessFactories } from '../support/access-factories.js';
import { expectProblem } from '../support/problems.js';
import { eventsOf } from '../support/sales-factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

type Auth = { authorization: string };
type Article = Record<string, unknown> & {
  id: string;
  version: number;
  slug: string;
  status: string;
};
type Hit = {
  id: string;
  slug: string;
  title: string;
  rank: number;
  titleHighlight: string;
  highlight: string;
};

describe('knowledge base', () => {
  let server: TestServer;
  let admin: Auth;
  let people: ReturnType<typeof accessFactories>;

  beforeAll(async () => {
    server = await startServer({ env: { CRM_PRINCIPAL_CACHE_TTL_MS: '0' } });
    const token = await server.login();
    admin = { authorization: `Bearer ${token}` };
    people = accessFactories(server, token);
  });
  afterAll(async () => {
    await server.stop();
  });

  const post = (body: Record<string, unknown>, auth: Auth = admin) =>
    server.http.post('/api/v1/knowledge-articles').set(auth).send(body);
  const created = async (body: Record<string, unknown>, auth: Auth = admin) => {
    const res = await post(body, auth);
    if (res.status !== 201) throw new Error(`article: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Article;
  };
  const patch = (id: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    server.http
      .patch(`/api/v1/knowledge-articles/${id}`)
      .set({ ...admin, ...headers })
      .send(body);
  const publish = async (id: string) => {
    expect((await patch(id, { status: 'review' })).status).toBe(200);
    const res = await patch(id, { status: 'published' });
    expect(res.status).toBe(200);
    return res.body as Article;
  };
  const search = (query: string, auth: Auth = admin) =>
    server.http.get(`/api/v1/knowledge-articles/search?${query}`).set(auth);
  const en = (title: string, body: string, summary?: string) => ({ title, body, summary });

  it('creates an article in two languages with a slug from its title, as a draft', async () => {
    const res = await post({
      content: {
        en: en('Reset your card PIN', 'Open **Cards**, then *Change PIN*.', 'New PIN in the app'),
        id: en('Mengatur ulang PIN kartu', 'Buka **Kartu**, lalu *Ubah PIN*.'),
      },
      category: 'how_to',
      tags: ['pin', 'pin', 'mobile'],
    });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/knowledge-articles/${res.body.id}`);
    expect(res.body).toMatchObject({
      slug: 'reset-your-card-pin',
      status: 'draft',
      visibility: 'internal',
      bodyFormat: 'markdown',
      category: 'how_to',
      tags: ['pin', 'mobile'],
      publishedAt: null,
      helpfulCount: 0,
      notHelpfulCount: 0,
      content: {
        en: { title: 'Reset your card PIN', summary: 'New PIN in the app' },
        id: { title: 'Mengatur ulang PIN kartu', summary: null },
      },
    });
    const got = await server.http.get(`/api/v1/knowledge-articles/${res.body.id}`).set(admin);
    expect(got.status).toBe(200);
    expect(got.headers.etag).toBe('"1"');
  });

  it('sanitizes HTML bodies: scripts, handlers and javascript links never get stored', async () => {
    const article = await created({
      bodyFormat: 'html',
      content: {
        en: en(
          'Safe HTML',
          '<p onclick="steal()">Hello <script>alert(1)</script><a href="javascript:alert(2)">x</a> <b>bold</b></p>',
        ),
      },
    });
    const body = (article.content as { en: { body: string } }).en.body;
    expect(body).toBe('<p>Hello <a>x</a> <b>bold</b></p>');
  });

  it('changes a language without losing the other, and removes one given as null', async () => {
    const article = await created({
      content: { en: en('Two languages', 'English body'), id: en('Dua bahasa', 'Isi') },
    });
    const res = await patch(article.id, { content: { id: en('Dua bahasa baru', 'Isi baru') } });
    expect(res.status).toBe(200);
    expect(res.body.content.en.title).toBe('Two languages');
    expect(res.body.content.id.title).toBe('Dua bahasa baru');
    const dropped = await patch(article.id, { content: { en: null } });
    expect(dropped.status).toBe(200);
    expect(Object.keys(dropped.body.content)).toEqual(['id']);
    const none = await patch(article.id, { content: { id: null } });
    expectProblem(none, 400);
    expect(none.body.errors[0].field).toBe('content');
  });

  it('moves draft → review → published → archived, refuses other moves with 409, and a stale ETag with 412', async () => {
    const article = await created({ content: { en: en('Lifecycle', 'Body') } });
    const skip = await patch(article.id, { status: 'published' });
    expectProblem(skip, 409);
    expect(skip.body).toMatchObject({
      code: 'knowledge_article_status_transition',
      allowed: ['review', 'archived'],
    });
    const stale = await patch(article.id, { status: 'review' }, { 'if-match': '"99"' });
    expectProblem(stale, 412);
    const published = await publish(article.id);
    expect(published.status).toBe('published');
    expect(Date.parse(published.publishedAt as string)).not.toBeNaN();
    const back = await patch(article.id, { status: 'review' });
    expectProblem(back, 409);
    expect((await patch(article.id, { status: 'archived' })).status).toBe(200);
    const events = await eventsOf(server, article.id);
    expect(
      events
        .filter((e) => e.type === 'knowledge_article.status_changed')
        .map((e) => `${String(e.data.from)}>${String(e.data.to)}`),
    ).toEqual(['draft>review', 'review>published', 'published>archived']);
    const history = await server.http
      .get(`/api/v1/knowledge-articles/${article.id}/history`)
      .set(admin);
    expect(history.body.data.length).toBeGreaterThanOrEqual(4);
  });

  it.each([
    ['missing content', {}, 'content'],
    ['content without a language', { content: {} }, 'content'],
    ['a title of the wrong type', { content: { en: { title: 5, body: 'b' } } }, 'content.en.title'],
    ['a title too long', { content: { en: en('t'.repeat(301), 'b') } }, 'content.en.title'],
    ['a missing body', { content: { en: { title: 'T' } } }, 'content.en.body'],
    ['an unknown field', { content: { en: en('T', 'b') }, colour: 'red' }, 'colour'],
    ['an unknown language', { content: { fr: en('T', 'b') } }, 'content.fr'],
    ['a bad slug', { slug: 'Not A Slug', content: { en: en('T', 'b') } }, 'slug'],
    ['an unknown category', { category: 'gossip', content: { en: en('T', 'b') } }, 'category'],
    [
      'an unknown visibility',
      { visibility: 'secret', content: { en: en('T', 'b') } },
      'visibility',
    ],
    [
      'too many tags',
      { tags: Array.from({ length: 21 }, (_, i) => `t${i}`), content: { en: en('T', 'b') } },
      'tags',
    ],
  ])('answers 400 for %s', async (_what, body, field) => {
    const res = await post(body);
    expectProblem(res, 400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers 409 for a slug another live article has', async () => {
    await created({ slug: 'unique-slug', content: { en: en('One', 'b') } });
    const res = await post({ slug: 'unique-slug', content: { en: en('Two', 'b') } });
    expectProblem(res, 409);
    expect(res.body.code).toBe('knowledge_slug_taken');
  });

  describe('search', () => {
    let titleHit: Article;
    let bodyHit: Article;
    let idTitle: Article;
    let idBody: Article;

    beforeAll(async () => {
      titleHit = await created({
        content: { en: en('Router firmware upgrade', 'Download the file and restart the device.') },
      });
      bodyHit = await created({
        content: {
          en: en(
            'Network troubleshooting',
            'If the connection drops, check the router and its firmware version before calling.',
          ),
        },
      });
      await created({ content: { en: en('Billing questions', 'Invoices arrive every month.') } });
      idTitle = await created({
        content: {
          id: en('Pembaruan firmware router', 'Unduh berkas lalu nyalakan ulang perangkat.'),
        },
      });
      idBody = await created({
        content: {
          id: en(
            'Masalah jaringan',
            'Jika koneksi putus, periksa router dan versi firmware yang dipakai di kafé.',
          ),
        },
      });
    });

    it('ranks a title match above a body match in English, with highlights', async () => {
      const res = await search('q=router%20firmware&lang=en');
      expect(res.status).toBe(200);
      const ids = res.body.data.map((h: Hit) => h.id);
      expect(ids.slice(0, 2)).toEqual([titleHit.id, bodyHit.id]);
      const [first, second] = res.body.data as Hit[];
      expect(first.rank).toBeGreaterThan(second.rank);
      expect(first.titleHighlight).toBe('<mark>Router</mark> <mark>firmware</mark> upgrade');
      expect(second.highlight).toContain('<mark>router</mark>');
      expect(res.body.data.every((h: Hit) => !/Pembaruan|Masalah/.test(h.title))).toBe(true);
    });

    it('stems English words and takes websearch syntax: phrases, or, -exclusion', async () => {
      const stemmed = await search('q=upgrading&lang=en');
      expect(stemmed.body.data.map((h: Hit) => h.id)).toContain(titleHit.id);
      const phrase = await search(`q=${encodeURIComponent('"firmware upgrade"')}&lang=en`);
      expect(phrase.body.data.map((h: Hit) => h.id)).toEqual([titleHit.id]);
      const excluded = await search(`q=${encodeURIComponent('router -troubleshooting')}&lang=en`);
      expect(excluded.body.data.map((h: Hit) => h.id)).toEqual([titleHit.id]);
      const either = await search(`q=${encodeURIComponent('invoices or firmware')}&lang=en`);
      expect(either.body.data).toHaveLength(3);
    });

    it('searches Indonesian versions: title above body, stop words skipped, accents ignored', async () => {
      const res = await search(`q=${encodeURIComponent('router yang firmware')}&lang=id`);
      expect(res.status).toBe(200);
      expect(res.body.data.map((h: Hit) => h.id)).toEqual([idTitle.id, idBody.id]);
      expect(res.body.data[0].titleHighlight).toBe(
        'Pembaruan <mark>firmware</mark> <mark>router</mark>',
      );
      const accent = await search('q=kafe&lang=id');
      expect(accent.body.data.map((h: Hit) => h.id)).toEqual([idBody.id]);
      expect(accent.body.data[0].highlight).toContain('<mark>kafé</mark>');
      const onlyStopWords = await search('q=yang%20dan&lang=id');
      expect(onlyStopWords.body.data).toEqual([]);
    });

    it('pages with a cursor and filters by status', async () => {
      const first = await search('q=router&lang=en&limit=1');
      expect(first.body.data).toHaveLength(1);
      expect(first.body.meta.nextCursor).toEqual(expect.any(String));
      const second = await search(`q=router&lang=en&limit=1&cursor=${first.body.meta.nextCursor}`);
      expect(second.body.data).toHaveLength(1);
      expect(second.body.data[0].id).not.toBe(first.body.data[0].id);
      expect(second.body.meta.nextCursor).toBeNull();
      await publish(titleHit.id);
      const published = await search('q=router&lang=en&status=published');
      expect(published.body.data.map((h: Hit) => h.id)).toEqual([titleHit.id]);
    });

    it('ranks a title match first however many articles mention the word in their bodies', async () => {
      // More body-only matches than a search ranks (SEARCH_CANDIDATES), all written before the
      // title match, so that it comes last in the table.
      await server.db.query(
        `INSERT INTO knowledge_articles (id, slug, content, body_text_en, owner_id)
         SELECT gen_random_uuid(), 'quokka-notes-' || g,
                jsonb_build_object('en', jsonb_build_object('title', 'Field notes ' || g, 'body', 'A quokka was seen, ' || g)),
                'A quokka was seen, ' || g, (SELECT id FROM users ORDER BY created_at LIMIT 1)
           FROM generate_series(1, 1100) g`,
      );
      const care = await created({ content: { en: en('Quokka care', 'Feeding and shelter.') } });
      const res = await search('q=quokka&lang=en&limit=5');
      expect(res.status).toBe(200);
      expect(res.body.data[0].id).toBe(care.id);
      expect(res.body.data).toHaveLength(5);
      await server.db.query(`DELETE FROM knowledge_articles WHERE slug LIKE 'quokka-notes-%'`);
    });

    it('escapes article text in highlights', async () => {
      const tricky = await created({
        content: { en: en('Escaping zebra', 'Where 2 < 3, a zebra & a horse <em>meet</em>.') },
      });
      const res = await search('q=zebra&lang=en');
      expect(res.body.data[0].id).toBe(tricky.id);
      expect(res.body.data[0].highlight).toContain(
        '2 &lt; 3, a <mark>zebra</mark> &amp; a horse meet',
      );
      expect(res.body.data[0].highlight).not.toContain('<em>');
    });

    it.each([
      ['no q', 'lang=en', 'q'],
      ['an unknown language', 'q=x&lang=fr', 'lang'],
      ['an unknown parameter', 'q=x&sort=rank', 'sort'],
      ['a bad limit', 'q=x&limit=0', 'limit'],
      ['a bad status', 'q=x&status=gone', 'status'],
      ['a foreign cursor', 'q=x&cursor=abc', 'cursor'],
      ['a q too long', `q=${'x'.repeat(101)}`, 'q'],
    ])('answers 400 for %s', async (_what, query, field) => {
      const res = await search(query);
      expectProblem(res, 400);
      expect(res.body.errors[0].field).toBe(field);
    });
  });

  describe('votes', () => {
    it('keeps one vote per user, counted on the article without a new version', async () => {
      const article = await created({ content: { en: en('Votes', 'b') } });
      const rep = await people.userWithToken('sales_rep');
      const vote = (helpful: unknown, auth: Auth = admin) =>
        server.http
          .post(`/api/v1/knowledge-articles/${article.id}/votes`)
          .set(auth)
          .send({ helpful });
      expect((await vote(true)).body).toEqual({
        helpful: true,
        helpfulCount: 1,
        notHelpfulCount: 0,
      });
      expect((await vote(true)).body).toEqual({
        helpful: true,
        helpfulCount: 1,
        notHelpfulCount: 0,
      });
      expect((await vote(false, rep.auth)).body).toMatchObject({
        helpfulCount: 1,
        notHelpfulCount: 1,
      });
      expect((await vote(false)).body).toMatchObject({ helpfulCount: 0, notHelpfulCount: 2 });
      const got = await server.http.get(`/api/v1/knowledge-articles/${article.id}`).set(admin);
      expect(got.body).toMatchObject({ helpfulCount: 0, notHelpfulCount: 2, version: 1 });
      expectProblem(await vote('yes'), 400);
      const unknown = await server.http
        .post(`/api/v1/knowledge-articles/${article.id}/votes`)
        .set(admin)
        .send({ helpful: true, stars: 5 });
      expectProblem(unknown, 400);
      const missing = await server.http
        .post(`/api/v1/knowledge-articles/${randomUUID()}/votes`)
        .set(admin)
        .send({ helpful: true });
      expectProblem(missing, 404);
      const events = await eventsOf(server, article.id);
      expect(events.filter((e) => e.type === 'knowledge_article.voted')).toHaveLength(4);
    });
  });

  describe('the public help centre', () => {
    let open: Article;
    let internal: Article;
    let draft: Article;

    beforeAll(async () => {
      open = await created({
        visibility: 'public',
        content: {
          en: en(
            'Public parcel tracking',
            'Track your parcel with its number.',
            'Where is my parcel',
          ),
          id: en('Lacak paket publik', 'Lacak paket dengan nomornya.'),
        },
      });
      internal = await created({
        visibility: 'internal',
        content: { en: en('Internal parcel escalation', 'Escalate parcel claims to tier two.') },
      });
      draft = await created({
        visibility: 'public',
        content: { en: en('Draft parcel policy', 'Not yet out.') },
      });
      await publish(open.id);
      await publish(internal.id);
    });

    it('lists and searches published public articles without login, never internal or draft ones', async () => {
      const list = await server.http.get('/api/v1/public/knowledge/articles?lang=en');
      expect(list.status).toBe(200);
      const slugs = list.body.data.map((a: { slug: string }) => a.slug);
      expect(slugs).toContain(open.slug);
      expect(slugs).not.toContain(internal.slug);
      expect(slugs).not.toContain(draft.slug);
      const found = await server.http.get('/api/v1/public/knowledge/articles?q=parcel&lang=en');
      expect(found.body.data.map((a: { slug: string }) => a.slug)).toEqual([open.slug]);
      expect(found.body.data[0].highlight).toContain('<mark>parcel</mark>');
      expect(Object.keys(found.body.data[0]).sort()).toEqual(
        ['category', 'highlight', 'lang', 'publishedAt', 'slug', 'summary', 'tags', 'title'].sort(),
      );
      const indonesian = await server.http
        .get('/api/v1/public/knowledge/articles?q=paket')
        .set('accept-language', 'id');
      expect(indonesian.body.data[0]).toMatchObject({ slug: open.slug, lang: 'id' });
    });

    it('reads one article by slug without internal fields; others answer 404', async () => {
      const res = await server.http.get(`/api/v1/public/knowledge/articles/${open.slug}?lang=id`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ slug: open.slug, lang: 'id', title: 'Lacak paket publik' });
      for (const key of [
        'id',
        'ownerId',
        'teamId',
        'customFields',
        'status',
        'visibility',
        'version',
      ])
        expect(res.body).not.toHaveProperty(key);
      for (const slug of [internal.slug, draft.slug, 'no-such-article', 'BAD%20SLUG'])
        expectProblem(await server.http.get(`/api/v1/public/knowledge/articles/${slug}`), 404);
      const bad = await server.http.get(`/api/v1/public/knowledge/articles?lang=fr`);
      expectProblem(bad, 400);
      // Staff routes still need a login.
      expectProblem(await server.http.get('/api/v1/knowledge-articles/search?q=parcel'), 401);
    });
  });

  describe('links to cases and access', () => {
    it('links, lists and unlinks cases; other teams see nothing (404), readers cannot link (403)', async () => {
      const teamA = await people.team();
      const teamB = await people.team();
      const role = await people.role({
        permissions: {
          admin: false,
          entities: {
            'knowledge-articles': {
              create: 'own',
              read: 'team',
              update: 'own',
              delete: 'own',
              reassign: false,
            },
          },
        },
      });
      const writerA = await people.userWithToken(role.id, { teamIds: [teamA.id] });
      const writerB = await people.userWithToken(role.id, { teamIds: [teamB.id] });
      const reader = await people.userWithToken('sales_rep');
      const article = await created(
        { content: { en: en('Team secret zeppelin', 'Only team A knows') } },
        writerA.auth,
      );
      const linked = await server.http.post('/api/v1/cases').set(admin).send({ subject: 'PIN' });
      const caseId = linked.body.id as string;
      expectProblem(
        await server.http
          .put(`/api/v1/knowledge-articles/${article.id}/cases/${randomUUID()}`)
          .set(writerA.auth),
        404,
      );
      const link = (auth: Auth) =>
        server.http.put(`/api/v1/knowledge-articles/${article.id}/cases/${caseId}`).set(auth);
      expect((await link(writerA.auth)).status).toBe(204);
      expect((await link(writerA.auth)).status).toBe(204);
      const cases = await server.http
        .get(`/api/v1/knowledge-articles/${article.id}/cases`)
        .set(writerA.auth);
      expect(cases.body.data).toEqual([
        { caseId, linkedAt: expect.any(String), linkedById: writerA.user.id },
      ]);
      expect((await link(reader.auth)).status).toBe(403);
      expectProblem(
        await server.http
          .put(`/api/v1/knowledge-articles/${article.id}/cases/not-a-uuid`)
          .set(admin),
        400,
      );

      for (const req of [
        server.http.get(`/api/v1/knowledge-articles/${article.id}`),
        server.http.patch(`/api/v1/knowledge-articles/${article.id}`).send({ tags: ['x'] }),
        server.http.get(`/api/v1/knowledge-articles/${article.id}/cases`),
        server.http.put(`/api/v1/knowledge-articles/${article.id}/cases/${caseId}`),
        server.http.post(`/api/v1/knowledge-articles/${article.id}/votes`).send({ helpful: true }),
      ])
        expectProblem(await req.set(writerB.auth), 404);
      const searchB = await search('q=zeppelin&lang=en', writerB.auth);
      expect(searchB.body.data).toEqual([]);
      const searchA = await search('q=zeppelin&lang=en', writerA.auth);
      expect(searchA.body.data.map((h: Hit) => h.id)).toEqual([article.id]);

      const unlink = await server.http
        .delete(`/api/v1/knowledge-articles/${article.id}/cases/${caseId}`)
        .set(writerA.auth);
      expect(unlink.status).toBe(204);
      const after = await server.http
        .get(`/api/v1/knowledge-articles/${article.id}/cases`)
        .set(writerA.auth);
      expect(after.body.data).toEqual([]);
      const noRead = await people.userWithToken(
        (await people.role({ permissions: { admin: false } })).id,
      );
      expectProblem(await search('q=zeppelin&lang=en', noRead.auth), 403);
    });
  });
});
