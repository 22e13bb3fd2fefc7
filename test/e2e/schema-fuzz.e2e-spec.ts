import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { factories } from '../support/factories.js';
import { answersWithStream, sendFuzzed } from '../support/response-head.js';
import {
  arbitraryOf,
  type SchemaDocument,
  type SchemaObject,
} from '../support/schema-arbitrary.js';
import { startServer, type TestServer } from '../support/test-server.js';

interface Parameter {
  in: string;
  name: string;
  required?: boolean;
  style?: string;
  schema?: SchemaObject;
}
interface Operation {
  method: 'get' | 'post' | 'patch' | 'put';
  path: string;
  query: Parameter[];
  body: SchemaObject | null;
  /** answers with an event stream: only the response head is read */
  stream: boolean;
}

const document = JSON.parse(
  readFileSync(join(process.cwd(), 'openapi/openapi.json'), 'utf8'),
) as SchemaDocument & { paths: Record<string, Record<string, Record<string, unknown>>> };

/**
 * Requests valid against the API document — bodies and query parameters generated from the
 * operation's schemas — to every GET, POST, PUT and PATCH (sign-in and session endpoints
 * aside, so the fuzzer keeps its own session). The server may refuse what the schema cannot
 * say (a record that does not exist, a rule across fields) but only with a documented 4xx
 * problem; every answer is checked against the document by the test client.
 */
const operations: Operation[] = Object.entries(document.paths).flatMap(([path, byMethod]) =>
  Object.entries(byMethod).flatMap(([method, op]): Operation[] => {
    if (!['get', 'post', 'patch', 'put'].includes(method) || path.startsWith('/api/v1/auth'))
      return [];
    const query = ((op.parameters ?? []) as Parameter[]).filter(
      (p) => p.in === 'query' && p.style !== 'deepObject' && p.schema,
    );
    const content = (op.requestBody as { content?: Record<string, { schema?: SchemaObject }> })
      ?.content;
    if (content && !content['application/json']) return [];
    const body = content?.['application/json']?.schema ?? null;
    if (method === 'get' && query.length === 0) return [];
    return [
      { method: method as Operation['method'], path, query, body, stream: answersWithStream(op) },
    ];
  }),
);

const FUZZ_SEED = Number(process.env.RELASI_FUZZ_SEED ?? 20261206);
const FUZZ_RUNS = Number(process.env.RELASI_FUZZ_RUNS ?? 8);
function seedFor(name: string): number {
  let hash = FUZZ_SEED | 0;
  for (const char of name) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}

function queryOf(params: Parameter[]): fc.Arbitrary<string> {
  return fc
    .record(
      Object.fromEntries(params.map((p) => [p.name, arbitraryOf(p.schema ?? {}, document)])),
      { requiredKeys: params.filter((p) => p.required).map((p) => p.name) },
    )
    .map((values) =>
      Object.entries(values)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(
          ([k, v]) =>
            `${encodeURIComponent(k)}=${encodeURIComponent(Array.isArray(v) ? v.join(',') : String(v))}`,
        )
        .join('&'),
    );
}

describe('fuzzing every operation with requests valid against the API document', () => {
  let server: TestServer;
  let auth: { authorization: string };
  let pathValue: fc.Arbitrary<string>;

  beforeAll(async () => {
    server = await startServer({ env: { CRM_RATE_LIMIT_REQUESTS: '100000000' } });
    const token = await server.login();
    auth = { authorization: `Bearer ${token}` };
    const contact = await factories(server, token).contact();
    pathValue = fc.constantFrom(contact.id, '0192f3a1-0000-7000-8000-000000000000');
  });

  afterAll(async () => {
    await server.stop();
  });

  it('reads operations with bodies and query parameters from the document', () => {
    expect(operations.filter((o) => o.body !== null).length).toBeGreaterThan(40);
    expect(operations.filter((o) => o.query.length > 0).length).toBeGreaterThan(30);
  });

  it.each(operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))(
    '%s answers valid requests without 5xx, its errors as documented problems',
    async (name, op) => {
      const path = fc
        .array(pathValue, { minLength: 3, maxLength: 3 })
        .map((values) => op.path.replace(/\{\w+\}/g, () => values.pop() ?? ''));
      const body = op.body ? arbitraryOf(op.body, document) : fc.constant(undefined);
      const query = op.query.length ? queryOf(op.query) : fc.constant('');
      await fc.assert(
        fc.asyncProperty(path, body, query, async (url, json, qs) => {
          const target = qs ? `${url}?${qs}` : url;
          const res = await sendFuzzed(server, op, target, auth, json ?? null);
          const where = `${op.method.toUpperCase()} ${url}${qs ? `?${qs}` : ''} ${
            json === undefined ? '' : JSON.stringify(json)
          }`.slice(0, 800);
          expect({ where, status: res.status < 500 }).toEqual({ where, status: true });
          if (res.status >= 400)
            expect({ where, type: res.headers['content-type'] }).toEqual({
              where,
              type: expect.stringMatching(/^application\/problem\+json/),
            });
        }),
        { numRuns: FUZZ_RUNS, seed: seedFor(name), endOnFailure: true },
      );
    },
  );
});
