import { startServer, type TestServer } from '../support/test-server.js';

const QUOTA = 8;
const RATE_LIMIT = /^"default";r=(\d+);t=(\d+)$/;

function remaining(res: { headers: Record<string, string> }): number {
  const match = RATE_LIMIT.exec(res.headers['ratelimit'] ?? '');
  if (!match) throw new Error(`no RateLimit field in ${JSON.stringify(res.headers)}`);
  const reset = Number(match[2]);
  expect(reset).toBeGreaterThanOrEqual(1);
  expect(reset).toBeLessThanOrEqual(60);
  return Number(match[1]);
}

describe('the API request quota', () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startServer({
      env: { CRM_RATE_LIMIT_REQUESTS: String(QUOTA), CRM_RATE_LIMIT_WINDOW_SECONDS: '60' },
    });
    token = await server.login();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('puts RateLimit-Policy and a falling RateLimit on API responses, and meters no health route', async () => {
    const a = await server.http.get('/api/v1/contacts').auth(token, { type: 'bearer' });
    const b = await server.http.get('/api/v1/nowhere-at-all').auth(token, { type: 'bearer' });
    const c = await server.http.get('/api/v1/contacts').auth(token, { type: 'bearer' });
    expect(a.status).toBe(200);
    expect(a.headers['ratelimit-policy']).toBe(`"default";q=${QUOTA};w=60`);
    expect(remaining(a)).toBe(QUOTA - 1);
    // An unknown route is answered before any handler, so it counts against the address.
    expect(b.status).toBe(404);
    expect(remaining(b)).toBe(QUOTA - 2);
    expect(remaining(c)).toBe(QUOTA - 2);
    const health = await server.http.get('/health/ready');
    expect(health.status).toBe(200);
    expect(health.headers['ratelimit']).toBeUndefined();
  });

  it('answers 429 problem+json with Retry-After past the quota, while other callers keep theirs', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const created = await server.http.post('/api/v1/api-keys').set(auth).send({ name: 'sync' });
    expect(created.status).toBe(201);
    let res = created;
    let calls = 0;
    while (res.status !== 429 && calls++ < QUOTA + 2)
      res = await server.http.get('/api/v1/contacts').set(auth);
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.body).toMatchObject({ status: 429, code: 'rate_limited', retryAfter });
    expect(remaining(res)).toBe(0);
    expect(res.headers['ratelimit-policy']).toBe(`"default";q=${QUOTA};w=60`);

    const byKey = await server.http
      .get('/api/v1/contacts')
      .set('x-api-key', created.body.key as string);
    expect(byKey.status).toBe(200);
    expect(remaining(byKey)).toBe(QUOTA - 1);
    const login = await server.http
      .post('/api/v1/auth/login')
      .send({ email: 'admin@example.com', password: 'admin-password-123' });
    expect(login.status).toBe(200);
  });

  it('counts requests without credentials per address; once spent, that address is refused whatever it sends', async () => {
    let res = await server.http.get('/api/v1/contacts');
    expect(res.status).toBe(401);
    for (let i = 0; res.status !== 429 && i < QUOTA; i++)
      res = await server.http.get('/api/v1/contacts');
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('rate_limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    const login = await server.http
      .post('/api/v1/auth/login')
      .send({ email: 'admin@example.com', password: 'admin-password-123' });
    expect(login.status).toBe(429);
    const guessed = await server.http.get('/api/v1/contacts').set('x-api-key', 'guessed-key');
    expect(guessed.status).toBe(429);
    expect((await server.http.get('/health/live')).status).toBe(200);
    expect((await server.http.get('/metrics')).status).toBe(200);
  });
});

describe('CORS from CRM_CORS_ORIGINS', () => {
  const ORIGIN = 'https://app.example.com';
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startServer({ env: { CRM_CORS_ORIGINS: `${ORIGIN}, http://localhost:5173` } });
    token = await server.login();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('gives an allowed origin the CORS headers, with the headers a client needs exposed', async () => {
    const res = await server.http
      .get('/api/v1/contacts')
      .set('origin', ORIGIN)
      .auth(token, { type: 'bearer' });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['vary']).toMatch(/origin/i);
    expect(res.headers['access-control-expose-headers'].split(', ')).toEqual(
      expect.arrayContaining([
        'ETag',
        'Location',
        'RateLimit',
        'RateLimit-Policy',
        'Retry-After',
        'X-Request-Id',
      ]),
    );
  });

  it('sends no CORS header to an origin not listed, nor without an Origin', async () => {
    const other = await server.http
      .get('/api/v1/contacts')
      .set('origin', 'https://evil.example')
      .auth(token, { type: 'bearer' });
    expect(other.status).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(other.headers['access-control-allow-credentials']).toBeUndefined();
    const none = await server.http.get('/api/v1/contacts').auth(token, { type: 'bearer' });
    expect(none.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a preflight from an allowed origin with 204, and not one from another', async () => {
    const preflight = await server.http
      .options('/api/v1/contacts/0190a5e2-0000-7000-8000-000000000000')
      .set('origin', 'http://localhost:5173')
      .set('access-control-request-method', 'PATCH')
      .set('access-control-request-headers', 'authorization, content-type, if-match');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(preflight.headers['access-control-allow-methods']).toContain('PATCH');
    expect(preflight.headers['access-control-allow-headers']).toEqual(
      expect.stringContaining('Authorization'),
    );
    expect(preflight.headers['access-control-allow-headers']).toContain('If-Match');
    expect(preflight.headers['access-control-max-age']).toBe('600');

    const refused = await server.http
      .options('/api/v1/contacts')
      .set('origin', 'https://evil.example')
      .set('access-control-request-method', 'DELETE');
    expect(refused.status).toBe(404);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect(refused.headers['access-control-allow-methods']).toBeUndefined();
  });
});
