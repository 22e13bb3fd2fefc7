import { connect } from 'node:net';
import { factories } from '../support/factories.js';
import { startServer, type TestServer } from '../support/test-server.js';

const PROBLEM_JSON = /^application\/problem\+json/;

/** A JSON text nesting `levels` arrays inside one another. */
const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

/** One raw HTTP/1.1 exchange, for what Node's parser answers before any route runs. */
function rawExchange(
  url: string,
  request: string,
): Promise<{ status: number; headers: string; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // The server closes the socket after answering; a reset after the answer is fine.
      if (data && e.code === 'ECONNRESET') return;
      reject(e);
    });
    socket.on('close', () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]),
        headers: head.toLowerCase(),
        body: rest.join('\r\n\r\n'),
      });
    });
  });
}

describe('hostile input', () => {
  let server: TestServer;
  let auth: { authorization: string };
  let contactId: string;

  beforeAll(async () => {
    server = await startServer();
    auth = { authorization: `Bearer ${await server.login()}` };
    contactId = (await factories(server, auth.authorization.slice(7)).contact()).id;
  });

  afterAll(async () => {
    await server.stop();
  });

  const expectProblem = (
    res: { status: number; headers: Record<string, string>; body: Record<string, unknown> },
    status: number,
    code: string,
  ) => {
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
  };

  describe('deeply nested JSON', () => {
    const deep = nested(2_500);
    const routes: [string, string, string][] = [
      ['post', '/api/v1/contacts', `{"lastName":"Deep","customFields":{"x":${deep}}}`],
      ['patch', '/api/v1/contacts/{id}', `{"firstName":${deep}}`],
      ['post', '/api/v1/contacts/bulk', `{"items":[{"lastName":"Deep","tags":${deep}}]}`],
      ['post', '/api/v1/contacts/query', `{"filter":{"and":${deep}}}`],
      ['post', '/api/v1/accounts', deep],
      ['post', '/api/v1/auth/login', `{"email":${deep},"password":"x"}`],
    ];

    it.each(routes)('%s %s answers 400 body_too_deep', async (method, path, body) => {
      const res = await server.http[method as 'post' | 'patch'](path.replace('{id}', contactId))
        .set(auth)
        .set('content-type', 'application/json')
        .send(body);
      expectProblem(res, 400, 'body_too_deep');
      expect(res.body.detail).toContain('64 levels');
    });

    it('takes a body nested up to the limit to validation as usual', async () => {
      const res = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .set('content-type', 'application/json')
        .send(`{"lastName":"Deep","firstName":${nested(63)}}`);
      expectProblem(res, 400, 'validation_failed');
      const fields = new Set((res.body.errors as { field: string }[]).map((e) => e.field));
      expect([...fields]).toEqual(['firstName']);
    });
  });

  describe('text PostgreSQL cannot store', () => {
    it.each([
      ['NUL', 'Wi\u0000jaya', 'nulCharacter'],
      ['a lone surrogate', 'Wi\uD800jaya', 'loneSurrogate'],
      ['a lone low surrogate', '\uDC00', 'loneSurrogate'],
    ])('%s in a body string is a 400 naming the field', async (_what, text, rule) => {
      const res = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .send({ lastName: text, customFields: { note: { deeper: [text] } } });
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'lastName', code: rule }),
          expect.objectContaining({ field: 'customFields.note.deeper[0]', code: rule }),
        ]),
      );
    });

    it('a lone surrogate in an email is a 400, not a failure of the email check', async () => {
      const res = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .send({ lastName: 'Surrogate', email: 'sari\uD800@example.com' });
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'email', code: 'loneSurrogate' }),
      ]);
    });

    it('NUL in a key of the body is a 400', async () => {
      const res = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .send({ lastName: 'Key', customFields: { 'no\u0000te': 'x' } });
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors[0].code).toBe('nulCharacter');
    });

    it('a constructor key anywhere in a body is a 400 naming it, not a failure of the transformer', async () => {
      const res = await server.http
        .post(`/api/v1/contacts/${contactId}/merge`)
        .set(auth)
        .send({ duplicateIds: [null], id: { constructor: ['#'] } });
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'id.constructor', code: 'reservedKey' }),
      ]);
      const plain = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .send({ lastName: 'Proto', customFields: { prototype: 'x' } });
      expectProblem(plain, 400, 'validation_failed');
      expect(plain.body.errors[0].field).toBe('customFields.prototype');
    });

    it('a pair of surrogates (an emoji) is ordinary text', async () => {
      const res = await server.http
        .post('/api/v1/contacts')
        .set(auth)
        .send({ lastName: 'Wijaya \uD83D\uDE00' });
      expect(res.status).toBe(201);
      expect(res.body.lastName).toBe('Wijaya 😀');
    });

    it.each([
      ['q', { q: 'a\u0000b' }],
      ['filter[lastName][eq]', { 'filter[lastName][eq]': 'a\u0000b' }],
      ['filter[email][in]', { 'filter[email][in]': 'a@example.com,b\u0000@example.com' }],
      ['sort', { sort: '-createdAt\u0000' }],
      ['fields', { fields: 'id,\u0000' }],
      ['cursor', { cursor: 'abc\u0000' }],
    ])('NUL in the query parameter %s is a 400 naming it', async (field, query) => {
      const res = await server.http.get('/api/v1/contacts').set(auth).query(query);
      expectProblem(res, 400, 'invalid_query');
      expect(res.body.errors).toEqual([expect.objectContaining({ field, code: 'nulCharacter' })]);
    });

    it('NUL in a path parameter is a 400', async () => {
      const res = await server.http.get('/api/v1/contacts/abc%00def').set(auth);
      expectProblem(res, 400, 'invalid_query');
    });

    it('a cursor that decodes to text with NUL, or to garbage, is a 400', async () => {
      const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      for (const cursor of [
        encode(['2026-01-01 00:00:00+00', 'a\u0000']),
        encode({ not: 'a cursor' }),
        Buffer.from([0xff, 0xfe, 0x00, 0x01]).toString('base64url'),
      ]) {
        const res = await server.http
          .get('/api/v1/contacts')
          .set(auth)
          .query({ sort: '-createdAt', cursor });
        expectProblem(res, 400, 'invalid_query');
        expect(res.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
      }
    });

    it('a filter value with NUL in a POST …/query tree is a 400', async () => {
      const res = await server.http
        .post('/api/v1/contacts/query')
        .set(auth)
        .send({ filter: { or: [{ field: 'lastName', op: 'eq', value: 'x\u0000' }] } });
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'filter.or[0].value', code: 'nulCharacter' }),
      ]);
    });
  });

  describe('multipart uploads', () => {
    it('multipart without a boundary on POST /imports is a 400', async () => {
      const res = await server.http
        .post('/api/v1/imports')
        .set(auth)
        .set('content-type', 'multipart/form-data')
        .send('firstName\nSari\n');
      expectProblem(res, 400, 'malformed_multipart');
      expect(res.body.detail).toContain('boundary');
    });

    it('multipart that ends before its closing boundary is a 400', async () => {
      const res = await server.http
        .post('/api/v1/imports')
        .set(auth)
        .set('content-type', 'multipart/form-data; boundary=xyz')
        .send(
          '--xyz\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\n\r\nlastName\r\n',
        );
      expectProblem(res, 400, 'malformed_multipart');
    });
  });

  describe('oversized requests', () => {
    it('headers over 16 KB answer 431 problem+json', async () => {
      const res = await rawExchange(
        server.url,
        `GET /api/v1/contacts HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(17_000)}\r\n\r\n`,
      );
      expect(res.status).toBe(431);
      expect(res.headers).toContain('content-type: application/problem+json');
      expect(JSON.parse(res.body)).toMatchObject({
        type: 'urn:relasi:problem:headers-too-large',
        status: 431,
        code: 'headers_too_large',
        detail: expect.stringContaining('16384'),
      });
    });

    it('headers just under 16 KB are served', async () => {
      const res = await rawExchange(
        server.url,
        `GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Padding: ${'a'.repeat(15_000)}\r\n\r\n`,
      );
      expect(res.status).toBe(200);
    });

    it('a request line over 16 KB answers 414 problem+json', async () => {
      const res = await rawExchange(
        server.url,
        `GET /api/v1/contacts?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      );
      expect(res.status).toBe(414);
      expect(JSON.parse(res.body)).toMatchObject({ status: 414, code: 'uri_too_long' });
    });

    it('a URL over 8 KB answers 414', async () => {
      const res = await server.http.get(`/api/v1/contacts?q=${'a'.repeat(9_000)}`).set(auth);
      expectProblem(res, 414, 'uri_too_long');
    });

    it('an over-long path segment answers 414, as a parameter or not', async () => {
      for (const path of [`/api/v1/contacts/${'a'.repeat(300)}`, `/api/v1/${'b'.repeat(300)}`]) {
        const res = await server.http.get(path).set(auth);
        expectProblem(res, 414, 'uri_too_long');
      }
    });

    it('a path that is not valid percent-encoding answers 400 problem+json', async () => {
      const res = await server.http.get('/api/v1/contacts/%E0%A4%A').set(auth);
      expectProblem(res, 400, 'invalid_query');
    });
  });
});
