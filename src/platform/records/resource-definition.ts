import {
  compileComputedFields,
  computedValue,
  type ComputedField,
} from '#platform/customization/computed-fields.js';
import { customQueryFields, customization } from '#platform/customization/custom-field-registry.js';
import type {
  QueryField,
  QueryFieldType,
  QueryRelation,
  QuerySchema,
} from '#platform/query/query-schema.js';

/**
 * How one API attribute maps to columns:
 * - `scalar`: one column, filterable and (optionally) sortable;
 * - `money`: `{ amount, currency }` over `<column>_amount numeric` and `<column>_currency`;
 * - `json`: a jsonb column holding a structured value (phones, addresses);
 * - `array`: a text[] column.
 */
export interface Attribute {
  name: string;
  column: string;
  kind: 'scalar' | 'money' | 'json' | 'array';
  type?: QueryFieldType;
  values?: readonly string[];
  nullable?: boolean;
  sortable?: boolean;
  caseInsensitive?: boolean;
  /** Its values may be replaced from crm.config.yaml (`customization.<entity>.picklists`). */
  picklist?: boolean;
  /** `never`: computed by the server; `create`: set once. */
  writable?: 'always' | 'create' | 'never';
}

export interface ResourceDefinition {
  /** Plural entity key used in permissions, history and events, e.g. `contacts`. */
  entity: string;
  /** Singular noun for messages, e.g. `contact`. */
  label: string;
  table: string;
  alias: string;
  attributes: Attribute[];
  relations: QueryRelation[];
  search: string | null;
  defaultSort: string;
  /** Set when the table holds several record types (custom objects). */
  discriminator?: { column: string; value: string };
  /**
   * How a CSV import recognises a record that exists already, tried in order. Each rule names
   * columns (stored or derived by the resource's `derive` hook) that must all match: an array
   * column matches when it shares a value, any other when it is equal.
   */
  importMatch?: { match: string; columns: string[] }[];
}

/** A one-column attribute, for definitions that list many of them. */
export function scalarAttribute(
  name: string,
  column: string,
  type: QueryFieldType,
  extra: Partial<Attribute> = {},
): Attribute {
  return { name, column, kind: 'scalar', type, ...extra };
}

/** Columns every customer record has, in API form. */
export const RECORD_ATTRIBUTES: Attribute[] = [
  { name: 'id', column: 'id', kind: 'scalar', type: 'uuid', writable: 'never', sortable: true },
  { name: 'ownerId', column: 'owner_id', kind: 'scalar', type: 'uuid' },
  { name: 'teamId', column: 'team_id', kind: 'scalar', type: 'uuid', nullable: true },
  { name: 'customFields', column: 'custom_fields', kind: 'json' },
  {
    name: 'createdById',
    column: 'created_by_id',
    kind: 'scalar',
    type: 'uuid',
    nullable: true,
    writable: 'never',
  },
  {
    name: 'updatedById',
    column: 'updated_by_id',
    kind: 'scalar',
    type: 'uuid',
    nullable: true,
    writable: 'never',
  },
  {
    name: 'createdAt',
    column: 'created_at',
    kind: 'scalar',
    type: 'datetime',
    writable: 'never',
    sortable: true,
  },
  {
    name: 'updatedAt',
    column: 'updated_at',
    kind: 'scalar',
    type: 'datetime',
    writable: 'never',
    sortable: true,
  },
  { name: 'version', column: 'version', kind: 'scalar', type: 'integer', writable: 'never' },
];

export type ApiRecord = Record<string, unknown> & {
  id: string;
  version: number;
  ownerId: string;
  teamId: string | null;
};

/** An attribute's allowed values: the configured picklist, else its built-in list. */
export function picklistValues(entity: string, a: Attribute): readonly string[] | undefined {
  return customization.picklist(entity, a.name)?.map((o) => o.value) ?? a.values;
}

function picklistOf(entity: string, a: Attribute): Pick<QueryField, 'type' | 'values'> {
  const values = picklistValues(entity, a);
  return { type: values ? 'enum' : a.type!, values };
}

function fieldsOf(def: ResourceDefinition): QueryField[] {
  const out: QueryField[] = [];
  for (const a of def.attributes) {
    if (a.kind === 'scalar' && a.type) {
      out.push({
        name: a.name,
        sql: `${def.alias}.${a.column}`,
        ...picklistOf(def.entity, a),
        nullable: a.nullable ?? false,
        sortable: a.sortable ?? false,
        caseInsensitive: a.caseInsensitive,
        permissionField: a.name,
      });
    } else if (a.kind === 'money') {
      out.push(
        {
          name: `${a.name}.amount`,
          sql: `${def.alias}.${a.column}_amount`,
          type: 'decimal',
          nullable: true,
          sortable: true,
          permissionField: a.name,
        },
        {
          name: `${a.name}.currency`,
          sql: `${def.alias}.${a.column}_currency`,
          type: 'string',
          nullable: true,
          sortable: false,
          permissionField: a.name,
        },
      );
    } else if (a.kind === 'array') {
      out.push({
        name: a.name,
        sql: `${def.alias}.${a.column}`,
        type: 'string[]',
        nullable: false,
        sortable: false,
        permissionField: a.name,
      });
    }
  }
  return out;
}

const schemas = new WeakMap<ResourceDefinition, QuerySchema>();

/** The list-query whitelist derived from a definition (built once per definition). */
const definitions = new Map<string, ResourceDefinition>();
const computedByDef = new WeakMap<ResourceDefinition, ComputedField[]>();
const building = new Set<ResourceDefinition>();
/** Problems compiling formula and roll-up fields, by entity, for the start-up check. */
export const computedFieldErrors = new Map<string, string[]>();

/** Makes a definition reachable by entity key (roll-ups aggregate other record types). */
export function rememberDefinition(def: ResourceDefinition): void {
  definitions.set(def.entity, def);
}

/** The list-query whitelist derived from a definition (built once per definition). */
export function querySchemaOf(def: ResourceDefinition): QuerySchema {
  let schema = schemas.get(def);
  if (!schema) {
    building.add(def);
    try {
      const base = new Map(
        [...fieldsOf(def), ...customQueryFields(def.alias, def.entity)].map((f) => [f.name, f]),
      );
      const compiled = compileComputedFields(
        def.alias,
        def.entity,
        customization.fieldsOf(def.entity),
        base,
        (entity) => {
          const target = definitions.get(entity);
          // A roll-up cycle (A sums B, B sums A) would never finish building.
          return target && !building.has(target) ? querySchemaOf(target) : undefined;
        },
      );
      computedFieldErrors.set(def.entity, compiled.errors);
      computedByDef.set(def, compiled.computed);
      schema = {
        entity: def.entity,
        table: def.table,
        alias: def.alias,
        fields: new Map([...base, ...compiled.queryFields.map((f) => [f.name, f] as const)]),
        relations: new Map(def.relations.map((r) => [r.name, r])),
        search: def.search,
        defaultSort: def.defaultSort,
        discriminator: def.discriminator,
        ownerColumn: 'owner_id',
        teamColumn: 'team_id',
        selects: compiled.computed.map((c) => ({ as: `__cf_${c.code}`, sql: c.sql })),
      };
      schemas.set(def, schema);
    } finally {
      building.delete(def);
    }
  }
  return schema;
}

/** History and events record stored data; formula and roll-up values follow from it. */
export function historyIgnoredFields(
  def: ResourceDefinition,
  base: ReadonlySet<string>,
): Set<string> {
  querySchemaOf(def);
  return new Set([...base, ...(computedByDef.get(def) ?? []).map((c) => `customFields.${c.code}`)]);
}

/** `alias.*` plus the computed columns: what every read of a record selects. */
export function recordSelect(def: ResourceDefinition, alias = def.alias): string {
  const extra = (querySchemaOf(def).selects ?? []).map(
    (s) =>
      `${alias === def.alias ? s.sql : s.sql.replace(new RegExp(`\\b${def.alias}\\.`, 'g'), `${alias}.`)} AS "${s.as}"`,
  );
  return [`${alias}.*`, ...extra].join(', ');
}

function iso(v: unknown): unknown {
  return v instanceof Date ? v.toISOString() : v;
}

/** A database row in API form. */
export function rowToRecord(def: ResourceDefinition, row: Record<string, unknown>): ApiRecord {
  const out: Record<string, unknown> = {};
  for (const a of def.attributes) {
    switch (a.kind) {
      case 'money': {
        const amount = row[`${a.column}_amount`];
        out[a.name] =
          amount === null || amount === undefined
            ? null
            : { amount: String(amount), currency: String(row[`${a.column}_currency`]).trim() };
        break;
      }
      case 'scalar':
        out[a.name] = iso(row[a.column] ?? null);
        break;
      default:
        out[a.name] = row[a.column] ?? (a.kind === 'array' ? [] : null);
    }
  }
  const computed = computedByDef.get(def) ?? (querySchemaOf(def), computedByDef.get(def)) ?? [];
  if (computed.length) {
    const custom = { ...((out.customFields as Record<string, unknown> | null) ?? {}) };
    for (const c of computed) custom[c.code] = computedValue(row[`__cf_${c.code}`], c.resultType);
    out.customFields = custom;
  }
  return out as ApiRecord;
}

/** API values to column values, for the attributes present in `input`. */
export function recordToColumns(
  def: ResourceDefinition,
  input: Record<string, unknown>,
): Record<string, unknown> {
  const cols: Record<string, unknown> = {};
  for (const a of def.attributes) {
    if (!(a.name in input)) continue;
    const v = input[a.name];
    switch (a.kind) {
      case 'money': {
        const m = v as { amount: string; currency: string } | null;
        cols[`${a.column}_amount`] = m ? m.amount : null;
        cols[`${a.column}_currency`] = m ? m.currency : null;
        break;
      }
      case 'json':
        cols[a.column] = v === null || v === undefined ? null : JSON.stringify(v);
        break;
      default:
        cols[a.column] = v ?? null;
    }
  }
  return cols;
}
