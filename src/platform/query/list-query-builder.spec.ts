import type { QueryAccess } from './list-query-builder.js';
import { buildListQuery, cursorOf, encodeCursor } from './list-query-builder.js';
import {
  MAX_FIELD_NAME,
  MAX_PARAM_LENGTH,
  parseListQuery,
  parseQueryBody,
} from './list-request.js';
import type { QuerySchema } from './query-schema.js';
import { SqlParams } from './sql-params.js';

const accounts: QuerySchema = {
  entity: 'accounts',
  table: 'accounts',
  alias: 'a',
  fields: new Map([
    [
      'industry',
      {
        name: 'industry',
        sql: 'a.industry',
        type: 'string',
        nullable: true,
        sortable: true,
        permissionField: 'industry',
      },
    ],
    [
      'secret',
      {
        name: 'secret',
        sql: 'a.secret',
        type: 'string',
        nullable: true,
        sortable: true,
        permissionField: 'secret',
      },
    ],
  ]),
  relations: new Map(),
  search: 'lower(a.name)',
  defaultSort: '-createdAt',
  ownerColumn: 'owner_id',
  teamColumn: 'team_id',
};

const contacts: QuerySchema = {
  entity: 'contacts',
  table: 'contacts',
  alias: 'c',
  fields: new Map([
    [
      'id',
      {
        name: 'id',
        sql: 'c.id',
        type: 'uuid',
        nullable: false,
        sortable: true,
        permissionField: 'id',
      },
    ],
    [
      'lastName',
      {
        name: 'lastName',
        sql: 'c.last_name',
        type: 'string',
        nullable: false,
        sortable: true,
        permissionField: 'lastName',
      },
    ],
    [
      'email',
      {
        name: 'email',
        sql: 'c.email',
        type: 'string',
        nullable: true,
        sortable: true,
        caseInsensitive: true,
        permissionField: 'email',
      },
    ],
    [
      'createdAt',
      {
        name: 'createdAt',
        sql: 'c.created_at',
        type: 'datetime',
        nullable: false,
        sortable: true,
        permissionField: 'createdAt',
      },
    ],
    [
      'employees',
      {
        name: 'employees',
        sql: 'c.employees',
        type: 'integer',
        nullable: true,
        sortable: true,
        permissionField: 'employees',
      },
    ],
  ]),
  relations: new Map([
    [
      'account',
      { name: 'account', foreignKey: 'account_id', entity: 'accounts', target: () => accounts },
    ],
  ]),
  search: 'lower(c.last_name)',
  defaultSort: '-createdAt',
  ownerColumn: 'owner_id',
  teamColumn: 'team_id',
};

const everything: QueryAccess = { scope: () => 'TRUE', isHidden: (_e, f) => f === 'secret' };
const limits = { defaultLimit: 50, maxLimit: 500 };

function build(query: Record<string, unknown>) {
  return buildListQuery(contacts, parseListQuery(query, limits), everything, new SqlParams());
}

describe('buildListQuery', () => {
  it('puts every client value in a parameter, never in the SQL text', () => {
    const hostile = "x'); DROP TABLE contacts; --";
    const q = build({
      'filter[lastName][eq]': hostile,
      'filter[email][contains]': hostile,
      q: hostile,
    });
    expect(q.sql).not.toContain('DROP TABLE');
    expect(q.params).toEqual(expect.arrayContaining([hostile, `%${hostile.toLowerCase()}%`]));
  });

  it('sorts with the id as the last key and uses a row comparison for the cursor when it can', () => {
    const first = build({ sort: 'lastName', limit: '2' });
    expect(first.sql).toContain('ORDER BY c.last_name ASC, c.id ASC LIMIT 3');
    const next = build({
      sort: 'lastName',
      limit: '2',
      cursor: encodeCursor(['Wijaya', '0192f000-0000-7000-8000-000000000001']),
    });
    expect(next.sql).toContain('(c.last_name, c.id) > ($1::text, $2::uuid)');
  });

  it('orders nullable keys with nulls last and pages through them with an OR chain', () => {
    const q = build({
      sort: '-email',
      cursor: encodeCursor(['false', 'a@b.c', '0192f000-0000-7000-8000-000000000001']),
    });
    expect(q.sql).toContain('ORDER BY (c.email IS NULL) ASC, c.email DESC, c.id DESC');
    expect(q.sql).toMatch(/\(\(c\.email IS NULL\) > \$\d+::boolean\) OR/);
  });

  it('compares case-insensitive fields in lower case', () => {
    expect(build({ 'filter[email][eq]': 'A@B.C' }).sql).toContain('lower(c.email) = lower($1)');
  });

  it('joins a relation with the related scope and soft-delete condition', () => {
    const q = build({ 'filter[account.industry][eq]': 'retail' });
    expect(q.sql).toContain(
      'LEFT JOIN accounts r_account ON r_account.id = c.account_id AND r_account.deleted_at IS NULL AND TRUE',
    );
    expect(q.sql).toContain('r_account.industry = $1::text');
  });

  it('treats hidden fields as unknown, here and through relations', () => {
    expect(() => build({ 'filter[account.secret][eq]': 'x' })).toThrow('invalid_query');
    expect(() => build({ sort: 'account.secret' })).toThrow('invalid_query');
  });

  it('validates values by type', () => {
    expect(() => build({ 'filter[createdAt][gte]': 'soon' })).toThrow('invalid_query');
    expect(() => build({ 'filter[employees][eq]': '1.5' })).toThrow('invalid_query');
    expect(() => build({ 'filter[id][in]': 'a,b' })).toThrow('invalid_query');
    expect(() => build({ cursor: 'garbage' })).toThrow('invalid_query');
  });

  it('returns the sort key values of a row as the next cursor', () => {
    expect(cursorOf({ __k0: 'Wijaya', __k1: 'id-1' }, 2)).toBe(encodeCursor(['Wijaya', 'id-1']));
  });
});

describe('parseListQuery / parseQueryBody', () => {
  it('reads flat bracket keys and shorthand equality', () => {
    const r = parseListQuery(
      {
        'filter[lastName]': 'W',
        'filter[email][isNull]': 'false',
        sort: '-createdAt,lastName',
        limit: '10',
      },
      limits,
    );
    expect(r.filter).toEqual({
      and: [
        { field: 'lastName', op: 'eq', value: 'W' },
        { field: 'email', op: 'isNull', value: 'false' },
      ],
    });
    expect(r.sort).toEqual([
      { field: 'createdAt', direction: 'desc' },
      { field: 'lastName', direction: 'asc' },
    ]);
    expect(r.limit).toBe(10);
  });

  it('refuses unknown parameters, bad limits and deep trees', () => {
    expect(() => parseListQuery({ page: '2' }, limits)).toThrow('invalid_query');
    expect(() => parseListQuery({ limit: '0' }, limits)).toThrow('invalid_query');
    let deep: Record<string, unknown> = { field: 'lastName', op: 'eq', value: 'x' };
    for (let i = 0; i < 12; i++) deep = { not: deep };
    expect(() => parseQueryBody({ filter: deep }, limits)).toThrow('invalid_query');
  });

  it('refuses a parameter or filter value longer than the documented limit', () => {
    const long = 'x'.repeat(MAX_PARAM_LENGTH + 1);
    expect(() => parseListQuery({ cursor: long }, limits)).toThrow('invalid_query');
    expect(() => parseListQuery({ 'filter[lastName][eq]': long }, limits)).toThrow('invalid_query');
    const atLimit = 'x'.repeat(MAX_PARAM_LENGTH);
    expect(parseListQuery({ 'filter[lastName][eq]': atLimit }, limits).filter).toEqual({
      field: 'lastName',
      op: 'eq',
      value: atLimit,
    });
  });

  it('refuses query-body field names and cursors longer than the documented limits', () => {
    const longName = 'x'.repeat(MAX_FIELD_NAME + 1);
    for (const key of ['sort', 'fields', 'include'])
      expect(() => parseQueryBody({ [key]: [longName] }, limits)).toThrow('invalid_query');
    expect(() => parseQueryBody({ cursor: 'x'.repeat(MAX_PARAM_LENGTH + 1) }, limits)).toThrow(
      'invalid_query',
    );
    const atLimit = parseQueryBody({ fields: ['x'.repeat(MAX_FIELD_NAME)] }, limits);
    expect(atLimit.fields).toEqual(['x'.repeat(MAX_FIELD_NAME)]);
  });
});
