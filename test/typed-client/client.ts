/**
 * A small client program written only against the types generated from openapi/openapi.json
 * (`npx openapi-typescript openapi/openapi.json -o api.ts`): it must compile under --strict,
 * so a document that does not describe these calls fails the build before it fails a user.
 *
 * Usage: node client.js <baseUrl> <email> <password>; prints what it saw as one JSON line.
 */
import createClient from 'openapi-fetch';
import type { paths } from './api.js';

type Query = Record<string, unknown>;

/**
 * `filter[lastName][eq]=…` nests two levels deep; openapi-fetch's own deepObject serializer
 * stops at one, so the query is written out here.
 */
function serializeQuery(query: Query): string {
  const pairs: string[] = [];
  const add = (name: string, value: unknown): void => {
    if (value === undefined || value === null) return;
    if (typeof value === 'object') {
      for (const [key, inner] of Object.entries(value as Query)) add(`${name}[${key}]`, inner);
      return;
    }
    pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  };
  for (const [name, value] of Object.entries(query)) add(name, value);
  return pairs.join('&');
}

function fail(step: string, status: number, error: unknown): never {
  throw new Error(`${step} answered ${status}: ${JSON.stringify(error)}`);
}

async function main(baseUrl: string, email: string, password: string) {
  const api = createClient<paths>({ baseUrl, querySerializer: serializeQuery });

  const login = await api.POST('/api/v1/auth/login', { body: { email, password } });
  if (!login.data) fail('login', login.response.status, login.error);
  const accessToken: string = login.data.accessToken;
  api.use({
    onRequest: ({ request }) => {
      request.headers.set('authorization', `Bearer ${accessToken}`);
      return request;
    },
  });

  const account = await api.POST('/api/v1/accounts', {
    body: { name: `Typed client ${Date.now()}` },
  });
  if (!account.data) fail('create account', account.response.status, account.error);
  const accountId: string = account.data.id;

  const lastName = `Typed-${Date.now()}`;
  const contactIds: string[] = [];
  for (const firstName of ['Sari', 'Budi']) {
    const contact = await api.POST('/api/v1/contacts', {
      body: { firstName, lastName, accountId },
    });
    if (!contact.data) fail('create contact', contact.response.status, contact.error);
    contactIds.push(contact.data.id);
  }

  const first = await api.GET('/api/v1/contacts', {
    params: { query: { filter: { lastName: { eq: lastName } }, sort: 'firstName', limit: 1 } },
  });
  if (!first.data) fail('list contacts', first.response.status, first.error);
  const nextCursor: string | null = first.data.meta.nextCursor;
  if (nextCursor === null) throw new Error('the first page of two contacts has no next cursor');

  const second = await api.GET('/api/v1/contacts', {
    params: {
      query: {
        filter: { lastName: { eq: lastName } },
        sort: 'firstName',
        limit: 1,
        cursor: nextCursor,
      },
    },
  });
  if (!second.data) fail('list contacts, page 2', second.response.status, second.error);

  const pages = [first.data, second.data].map((page) => ({
    names: page.data.map((c) => `${c.firstName ?? ''} ${c.lastName}`),
    accountIds: page.data.map((c) => c.accountId ?? null),
    nextCursor: page.meta.nextCursor,
  }));
  return { accountId, contactIds, lastName, pages };
}

const [baseUrl, email, password] = process.argv.slice(2);
main(baseUrl, email, password).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
