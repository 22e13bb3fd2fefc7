import { ApiDocument, type ObservedResponse } from '../support/contract/api-document.js';
import { ContractDriftError } from '../support/contract/checked-client.js';

/** The check every end-to-end response goes through, on a small document of its own. */
const problem = {
  'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
};
const document = new ApiDocument({
  openapi: '3.0.0',
  paths: {
    '/api/v1/things': {
      get: {
        operationId: 'list_things',
        parameters: [{ in: 'query', name: 'fields', schema: { type: 'string' } }],
        responses: {
          200: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['data'],
                  properties: {
                    data: { type: 'array', items: { $ref: '#/components/schemas/Thing' } },
                  },
                },
              },
            },
          },
          '4XX': { content: problem },
        },
      },
    },
    '/api/v1/things/{id}': {
      get: {
        operationId: 'get_thing',
        responses: {
          200: {
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
        },
      },
      delete: { operationId: 'delete_thing', responses: { 204: { description: 'gone' } } },
    },
    '/api/v1/things/export': {
      get: {
        operationId: 'export_things',
        responses: { 200: { content: { 'text/csv': { schema: { type: 'string' } } } } },
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id', 'name', 'owner'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          name: { type: 'string', maxLength: 5, example: 'abc' },
          note: { type: 'string', nullable: true },
          kind: { type: 'string', enum: ['a', 'b', null], nullable: true },
          owner: { allOf: [{ $ref: '#/components/schemas/Owner' }], nullable: true },
          at: { type: 'string', format: 'date-time' },
        },
      },
      Owner: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      Problem: {
        type: 'object',
        required: ['status'],
        properties: { status: { type: 'integer' }, title: { type: 'string' } },
      },
    },
  },
});

const ID = '0192f000-0000-7000-8000-000000000000';
const thing = {
  id: ID,
  name: 'abc',
  note: null,
  kind: null,
  owner: null,
  at: '2026-05-01T09:30:00.5+07:00',
};

function json(method: string, url: string, status: number, body: unknown): ObservedResponse {
  return {
    method,
    url,
    status,
    contentType: 'application/json; charset=utf-8',
    body,
    hasBody: true,
  };
}

describe('the contract check', () => {
  it('accepts responses that keep to the document: nullable values, $ref, formats', () => {
    expect(document.check(json('GET', `/api/v1/things/${ID}`, 200, thing))).toBeNull();
    expect(
      document.check(
        json('GET', '/api/v1/things?limit=1', 200, { data: [{ ...thing, owner: { id: 'u' } }] }),
      ),
    ).toBeNull();
    expect(
      document.check({
        method: 'DELETE',
        url: `/api/v1/things/${ID}`,
        status: 204,
        contentType: undefined,
        body: {},
        hasBody: false,
      }),
    ).toBeNull();
  });

  it('names the operation, the JSON pointer and the rule of a body that drifted', () => {
    const drift = document.check(
      json('GET', `/api/v1/things/${ID}`, 200, {
        ...thing,
        name: 'far too long',
        kind: 'c',
        secret: 1,
      }),
    );
    expect(drift).toMatchObject({ operation: 'get_thing (GET /api/v1/things/{id})', status: 200 });
    expect(drift?.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/body\/name: must NOT have more than 5 characters/),
        expect.stringMatching(/^\/body\/kind: must be equal to one of the allowed values/),
        expect.stringMatching(/^\/body: must NOT have unevaluated properties \(secret\)/),
      ]),
    );
    expect(
      document.check(
        json('GET', `/api/v1/things/${ID}`, 200, { ...thing, at: '2026-13-01T00:00:00Z' }),
      )?.problems,
    ).toEqual([expect.stringMatching(/^\/body\/at: must match format "date-time"/)]);
  });

  it('prefers a literal path segment over a templated one', () => {
    const csv = {
      method: 'GET',
      url: '/api/v1/things/export',
      status: 200,
      contentType: 'text/csv',
      body: {},
      hasBody: true,
    };
    expect(document.check(csv)).toBeNull();
    expect(document.check({ ...csv, contentType: 'application/json' })?.problems).toEqual([
      'content type application/json is not one of text/csv',
    ]);
  });

  it('counts an undocumented status, an undocumented body and a wrong problem as drift', () => {
    expect(
      document.check(json('DELETE', `/api/v1/things/${ID}`, 409, { status: 409 }))?.problems,
    ).toEqual(['status 409 is not documented (documented: 204)']);
    expect(document.check(json('DELETE', `/api/v1/things/${ID}`, 204, {}))?.problems).toEqual([
      'the body is application/json; the document describes no body',
    ]);
    const wrongProblem = {
      ...json('GET', '/api/v1/things', 404, { status: '404' }),
      contentType: 'application/problem+json',
    };
    expect(document.check(wrongProblem)?.problems).toEqual([
      expect.stringMatching(/^\/body\/status: must be integer/),
    ]);
  });

  it('requires only the projected fields when a list takes fields=', () => {
    const projected = { data: [{ id: ID }] };
    expect(document.check(json('GET', '/api/v1/things?fields=id', 200, projected))).toBeNull();
    expect(document.check(json('GET', '/api/v1/things', 200, projected))?.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/must have required property 'name'/)]),
    );
  });

  it('leaves errors for unrouted requests alone but flags an undocumented route under /api', () => {
    expect(document.check(json('GET', '/api/v1/nothing', 404, {}))).toBeNull();
    expect(document.check(json('GET', `/api/v1/${'x'.repeat(300)}`, 414, {}))).toBeNull();
    expect(document.check(json('GET', '/metrics', 200, {}))).toBeNull();
    expect(document.check(json('GET', '/api/v1/nothing', 200, {}))?.problems).toEqual([
      'the document has no path for this request',
    ]);
  });

  it('fails a drifted request with a message that says where it went wrong', () => {
    const drift = document.check(json('DELETE', `/api/v1/things/${ID}`, 409, { status: 409 }))!;
    const error = new ContractDriftError(drift, new Error('here'));
    expect(error.message).toContain('delete_thing (DELETE /api/v1/things/{id})');
    expect(error.message).toContain(`answered 409 application/json to DELETE /api/v1/things/${ID}`);
    expect(error.stack).toContain('contract-check.e2e-spec.ts');
  });
});
