import type { TestServer } from './test-server.js';

export type Auth = { authorization: string };
export type Import = Record<string, unknown> & { id: string; status: string };

/** POST /api/v1/imports with form fields and (unless null) a file. */
export async function upload(
  server: TestServer,
  auth: Auth,
  file: Buffer | null,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  let req = server.http.post('/api/v1/imports').set(auth).set(headers);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  if (file) req = req.attach('file', file, 'data.csv');
  return req;
}

/** The import once it has ended (or as it is after `ms`). */
export async function finished(server: TestServer, auth: Auth, id: string, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const res = await server.http.get(`/api/v1/imports/${id}`).set(auth);
    const body = res.body as Import;
    if (['completed', 'failed', 'cancelled'].includes(body.status) || Date.now() > end) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
}
