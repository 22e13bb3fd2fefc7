import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { factories } from '../support/factories.js';
import { answersWithStream, sendFuzzed } from '../support/response-head.js';
import { startServer, type TestServer } from '../support/test-server.js';

interface Parameter {
  in: string;
  name: string;
}
interface Operation {
  method: 'get' | 'post' | 'patch';
  path: string;
  query: string[];
  bodyFields: string[] | null;
  /** answers with an event stream: only the response head is read */
  stream: boolean;
}

const document = JSON.parse(readFileSync(join(process.cwd(), 'openapi/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};

/** Every POST and PATCH with a JSON body and every GET with query parameters. */
const operations: Operation[] = Object.entries(document.paths).flatMap(([path, byMethod]) =>
  Object.entries(byMethod).flatMap(([method, op]): Operation[] => {
    if (method !== 'get' && method !== 'post' && method !== 'patch') return [];
    const query = ((op.parameters ?? []) as Parameter[])
      .filter((p) => p.in === 'query')
      .map((p) => p.name);
    const body = (op.requestBody as { content?: Record<string, { schema?: { $ref?: string } }> })
      ?.content?.['application/json'];
    if (method === 'get' && query.length === 0) return [];
    const ref = body?.schema?.$ref?.split('/').pop();
    const fields = ref ? Object.keys(document.components.schemas[ref]?.properties ?? {}) : [];
    return [
      { method, path, query, bodyFields: body ? fields : null, stream: answersWithStream(op) },
    ];
  }),
);

/**
 * A fixed seed makes every run send the same requests, so a red CI run can be replayed;
 * RELASI_FUZZ_SEED picks another sequence and RELASI_FUZZ_RUNS lengthens it for a deeper run.
 * Each operation's seed also depends on its own name, so documenting a new operation does not
 * change what the others receive.
 */
const FUZZ_SEED = Number(process.env.RELASI_FUZZ_SEED ?? 20261204);
const FUZZ_RUNS = Number(process.env.RELASI_FUZZ_RUNS ?? 12);
function seedFor(name: string): number {
  let hash = FUZZ_SEED | 0;
  for (const char of name) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}

/** Numbers JSON allows but JavaScript and PostgreSQL choke on. */
const hostileNumber = fc.constantFrom(
  '1e400',
  '-1e400',
  '1e-400',
  '123456789012345678901234567890',
  '9007199254740993',
  '-0',
  '0.1',
);
const hostileText = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    'x\uD800',
    '\uDFFF',
    '',
    ' ',
    'a'.repeat(5000),
    '2026-02-30',
    '../../etc/passwd',
    "'; DROP TABLE users; --",
    '%00',
  ),
  fc.string({ maxLength: 20 }),
);
const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'version', '\u0000', 'a\uD800'),
  fc.string({ maxLength: 8 }),
);

/** JSON text (not values), so numbers JSON.stringify would round or refuse can be sent as is. */
const { value: hostileJson } = fc.letrec<{ value: string; array: string; object: string }>(
  (tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      hostileText.map((s) => JSON.stringify(s)),
      hostileNumber,
      fc.integer().map(String),
      fc.constantFrom('true', 'false', 'null'),
      tie('array'),
      tie('object'),
    ),
    array: fc.array(tie('value'), { maxLength: 4 }).map((xs) => `[${xs.join(',')}]`),
    object: fc
      .array(fc.tuple(hostileKey, tie('value')), { maxLength: 4 })
      .map((kv) => `{${kv.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  }),
);
const deepNesting = fc.integer({ min: 60, max: 3000 }).map((n) => '['.repeat(n) + ']'.repeat(n));

/** A body for an operation: its own fields given hostile values, unknown fields, deep nesting. */
function bodyFor(fields: string[]): fc.Arbitrary<string> {
  const key = fields.length ? fc.oneof(fc.constantFrom(...fields), hostileKey) : hostileKey;
  return fc.oneof(
    fc
      .array(fc.tuple(key, fc.oneof(hostileJson, deepNesting)), { maxLength: 6 })
      .map((kv) => `{${kv.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
    hostileJson,
    deepNesting,
  );
}

/** Query text, percent-encoded by hand: lone surrogates and broken escapes cannot be encoded. */
const rawQueryValue = fc.oneof(
  fc.constantFrom('%00', 'a%00b', '%ED%A0%80', '%FF', '%', '%zz', '%C0%80', '-createdAt,%00'),
  hostileText.filter((s) => !/[\uD800-\uDFFF]/.test(s)).map(encodeURIComponent),
  hostileNumber,
);
function queryFor(names: string[]): fc.Arbitrary<string> {
  const name = fc.oneof(
    fc.constantFrom(...names),
    fc.constantFrom('filter[lastName][eq]', 'filter[createdAt][gte]', 'filter[x][in]', '__proto__'),
    fc.constantFrom('filter[%00][eq]', 'filter[name][%00]', 'filter[customFields.a][eq]'),
  );
  return fc
    .array(fc.tuple(name, rawQueryValue), { minLength: 1, maxLength: 5 })
    .map((kv) => kv.map(([k, v]) => `${k}=${v}`).join('&'));
}

describe('fuzzing every operation with hostile input', () => {
  let server: TestServer;
  let auth: { authorization: string };
  let pathValue: fc.Arbitrary<string>;

  beforeAll(async () => {
    server = await startServer();
    const token = await server.login();
    auth = { authorization: `Bearer ${token}` };
    const contact = await factories(server, token).contact();
    pathValue = fc.constantFrom(
      contact.id,
      '0192f3a1-0000-7000-8000-000000000000',
      'not-a-uuid',
      'a%00b',
      'default',
    );
  });

  afterAll(async () => {
    await server.stop();
  });

  it('reads operations from the OpenAPI document', () => {
    expect(operations.filter((o) => o.method === 'get').length).toBeGreaterThan(30);
    expect(operations.filter((o) => o.bodyFields !== null).length).toBeGreaterThan(40);
  });

  it.each(operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))(
    '%s never answers 5xx, and answers 4xx as problem+json',
    async (name, op) => {
      const path = fc
        .array(pathValue, { minLength: 3, maxLength: 3 })
        .map((values) => op.path.replace(/\{\w+\}/g, () => values.pop() ?? ''));
      const body = op.bodyFields ? bodyFor(op.bodyFields) : fc.constant(null);
      const query = op.query.length ? fc.option(queryFor(op.query)) : fc.constant(null);
      await fc.assert(
        fc.asyncProperty(path, body, query, async (url, json, qs) => {
          const target = qs ? `${url}?${qs}` : url;
          const res = await sendFuzzed(server, op, target, auth, json);
          const where =
            `${op.method.toUpperCase()} ${url}${qs ? `?${qs}` : ''} ${json ?? ''}`.slice(0, 600);
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
