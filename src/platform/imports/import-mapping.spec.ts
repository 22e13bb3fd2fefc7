import { customization } from '#platform/customization/custom-field-registry.js';
import {
  RECORD_ATTRIBUTES,
  type ResourceDefinition,
} from '#platform/records/resource-definition.js';
import { checkMapping, columnOf, resolveMapping, rowToInput, targetOf } from './import-mapping.js';

const DEF: ResourceDefinition = {
  entity: 'widgets',
  label: 'widget',
  table: 'widgets',
  alias: 'w',
  attributes: [
    { name: 'name', column: 'name', kind: 'scalar', type: 'string' },
    { name: 'count', column: 'count', kind: 'scalar', type: 'integer', nullable: true },
    { name: 'active', column: 'active', kind: 'scalar', type: 'boolean', nullable: true },
    { name: 'tags', column: 'tags', kind: 'array' },
    { name: 'phones', column: 'phones', kind: 'json' },
    { name: 'price', column: 'price', kind: 'money' },
    ...RECORD_ATTRIBUTES,
  ],
  relations: [],
  search: null,
  defaultSort: '-createdAt',
};

// Set before the describe blocks below resolve their mappings.
customization.configure({
  widgets: {
    fields: [
      { code: 'size', type: 'number', label: { en: 'Size' } },
      { code: 'budget', type: 'money', label: { en: 'Budget' } },
      { code: 'colors', type: 'multiPicklist', label: { en: 'Colors' }, options: [] },
      { code: 'vip', type: 'boolean', label: { en: 'VIP' } },
      { code: 'total', type: 'formula', label: { en: 'Total' }, expression: 'count' },
    ],
  },
});
afterAll(() => customization.configure({}));

describe('targetOf', () => {
  it.each([
    ['name', 'scalar'],
    ['tags', 'list'],
    ['phones', 'json'],
    ['phones.number', 'jsonPart'],
    ['phones[2].label', 'jsonPart'],
    ['price.amount', 'money'],
    ['price.currency', 'money'],
    ['customFields.size', 'custom'],
    ['customFields.budget.amount', 'customMoney'],
  ])('maps %s to a %s target', (field, kind) => {
    expect(targetOf(DEF, field)?.kind).toBe(kind);
  });

  it.each([
    'id',
    'createdAt',
    'version',
    'price',
    'customFields',
    'customFields.total',
    'customFields.nope',
    'customFields.size.amount',
    'name.first',
    'nope',
  ])('refuses %s: server-set, computed, incomplete or unknown', (field) => {
    expect(targetOf(DEF, field)).toBeNull();
  });
});

describe('checkMapping', () => {
  it('reports every problem at once, by column', () => {
    const errors = checkMapping(DEF, { A: 'name', B: 'nope', C: 'name', D: null, E: 'tags' }, [
      'A',
      'B',
      'C',
      'D',
    ]);
    expect(errors.map((e) => [e.field, e.rule])).toEqual([
      ['mapping.B', 'unknownField'],
      ['mapping.C', 'sameField'],
      ['mapping.E', 'notInFile'],
    ]);
  });

  it('wants at least one column', () => {
    expect(checkMapping(DEF, { A: null }, null)).toEqual([
      expect.objectContaining({ field: 'mapping', rule: 'required' }),
    ]);
  });
});

describe('rowToInput', () => {
  const header = [
    'Name',
    'Count',
    'On',
    'Tags',
    'Phone',
    'Label',
    'Price',
    'Size',
    'Budget',
    'Cur',
    'Colors',
    'VIP',
    'Skip',
  ];
  const { columns, ignored } = resolveMapping(DEF, header, {
    Name: 'name',
    Count: 'count',
    On: 'active',
    Tags: 'tags',
    Phone: 'phones.number',
    Label: 'phones.label',
    Price: 'price.amount',
    Size: 'customFields.size',
    Budget: 'customFields.budget.amount',
    Cur: 'customFields.budget.currency',
    Colors: 'customFields.colors',
    VIP: 'customFields.vip',
    Skip: null,
  });

  it('leaves unmapped columns out', () => {
    expect(ignored).toEqual(['Skip']);
  });

  it('builds the body a client would send', () => {
    const { input, errors } = rowToInput(
      columns,
      [
        ' Widget ',
        '42',
        'yes',
        'a; b;;',
        '+62 811',
        'mobile',
        '9.90',
        '7.5',
        '100',
        'usd',
        'red;blue',
        'no',
        'x',
      ],
      'IDR',
    );
    expect(errors).toEqual([]);
    expect(input).toEqual({
      name: 'Widget',
      count: 42,
      active: true,
      tags: ['a', 'b'],
      phones: [{ number: '+62 811', label: 'mobile' }],
      price: { amount: '9.90', currency: 'IDR' },
      customFields: {
        size: 7.5,
        budget: { amount: '100', currency: 'USD' },
        colors: ['red', 'blue'],
        vip: false,
      },
    });
  });

  it('leaves empty cells out and passes odd values on for the validators to name', () => {
    const { input } = rowToInput(
      columns,
      ['', 'many', 'maybe', '', '', '', '', 'big', '', '', '', '', ''],
      'IDR',
    );
    expect(input).toEqual({ count: 'many', active: 'maybe', customFields: { size: 'big' } });
  });

  it('strips the formula guard an export adds', () => {
    expect(rowToInput(columns, ["'=1+1", ...Array(12).fill('')], 'IDR').input).toEqual({
      name: '=1+1',
    });
  });

  it('wants an amount when a currency is given, and JSON where JSON is read', () => {
    const json = resolveMapping(DEF, ['P'], { P: 'phones' }).columns;
    expect(rowToInput(json, ['[{"number":"1"}]'], 'IDR').input).toEqual({
      phones: [{ number: '1' }],
    });
    expect(rowToInput(json, ['[oops'], 'IDR').errors[0]).toMatchObject({
      field: 'phones',
      rule: 'isJson',
    });
    const money = resolveMapping(DEF, ['C'], { C: 'price.currency' }).columns;
    expect(rowToInput(money, ['EUR'], 'IDR').errors[0]).toMatchObject({
      field: 'price.amount',
      rule: 'required',
    });
  });
});

describe('columnOf', () => {
  const { columns } = resolveMapping(DEF, ['Phone', 'Size', 'Budget'], {
    Phone: 'phones.number',
    Size: 'customFields.size',
    Budget: 'customFields.budget.amount',
  });
  it.each([
    ['phones[0].number', 'Phone'],
    ['phones', 'Phone'],
    ['customFields.size', 'Size'],
    ['customFields.budget', 'Budget'],
    ['name', null],
  ])('names the column of an error on %s', (field, column) => {
    expect(columnOf(columns, field)?.column ?? null).toBe(column);
  });
});
