import { customization } from '#platform/customization/custom-field-registry.js';
import type { CustomFieldConfig } from '#platform/customization/customization.schema.js';
import { unescapeCell } from '#platform/exports/csv-cells.js';
import type { FieldError } from '#platform/http/app-error.js';
import type { Attribute, ResourceDefinition } from '#platform/records/resource-definition.js';

/** Where one CSV column goes in a record's API body. */
export type ImportTarget =
  | { kind: 'scalar'; attribute: Attribute }
  | { kind: 'list'; attribute: Attribute }
  | { kind: 'json'; attribute: Attribute }
  | { kind: 'jsonPart'; attribute: Attribute; index: number; key: string }
  | { kind: 'money'; attribute: Attribute; part: 'amount' | 'currency' }
  | { kind: 'custom'; field: CustomFieldConfig }
  | { kind: 'customMoney'; field: CustomFieldConfig; part: 'amount' | 'currency' };

export interface ColumnMapping {
  /** Position of the column in the file. */
  index: number;
  column: string;
  /** The field as named in the mapping, normalised (`phones.number` → `phones[0].number`). */
  field: string;
  target: ImportTarget;
}

export const LIST_SEPARATOR = ';';
const MAX_OBJECTS = 10;
const JSON_PART = /^([A-Za-z][A-Za-z0-9]*)(?:\[(\d)\])?\.([A-Za-z][A-Za-z0-9]*)$/;

/**
 * The target of a mapped field name, or null when the record has no such writable field:
 * a built-in attribute (`email`), a part of a money value (`annualRevenue.amount`), a key of
 * one object in a list of objects (`phones.number`, `addresses[1].city`), or a custom field
 * (`customFields.tier`, `customFields.budget.amount`). Server-set and computed fields are
 * never targets.
 */
export function targetOf(def: ResourceDefinition, field: string): ImportTarget | null {
  if (field.startsWith('customFields.')) {
    const [code, part, ...rest] = field.slice('customFields.'.length).split('.');
    const f = customization.field(def.entity, code);
    if (!f || f.type === 'formula' || f.type === 'rollup' || rest.length) return null;
    if (f.type === 'money')
      return part === 'amount' || part === 'currency'
        ? { kind: 'customMoney', field: f, part }
        : null;
    return part === undefined ? { kind: 'custom', field: f } : null;
  }
  const writable = (a: Attribute) => a.writable !== 'never' && a.name !== 'customFields';
  const direct = def.attributes.find((a) => a.name === field && writable(a));
  if (direct) {
    if (direct.kind === 'scalar') return { kind: 'scalar', attribute: direct };
    if (direct.kind === 'array') return { kind: 'list', attribute: direct };
    if (direct.kind === 'json') return { kind: 'json', attribute: direct };
    return null; // money takes .amount and .currency
  }
  const money = /^([A-Za-z][A-Za-z0-9]*)\.(amount|currency)$/.exec(field);
  if (money) {
    const a = def.attributes.find((x) => x.name === money[1] && x.kind === 'money' && writable(x));
    if (a) return { kind: 'money', attribute: a, part: money[2] as 'amount' | 'currency' };
  }
  const part = JSON_PART.exec(field);
  if (part) {
    const a = def.attributes.find((x) => x.name === part[1] && x.kind === 'json' && writable(x));
    if (a) return { kind: 'jsonPart', attribute: a, index: Number(part[2] ?? 0), key: part[3] };
  }
  return null;
}

function normalise(field: string, target: ImportTarget): string {
  return target.kind === 'jsonPart'
    ? `${target.attribute.name}[${target.index}].${target.key}`
    : field;
}

/** Every field a column can map to, for the error message that lists them. */
export function importableFields(def: ResourceDefinition): string[] {
  const out: string[] = [];
  for (const a of def.attributes) {
    if (a.writable === 'never' || a.name === 'customFields') continue;
    if (a.kind === 'money') out.push(`${a.name}.amount`, `${a.name}.currency`);
    else if (a.kind === 'json') out.push(a.name, `${a.name}.<key>`);
    else out.push(a.name);
  }
  for (const f of customization.fieldsOf(def.entity)) {
    if (f.type === 'formula' || f.type === 'rollup') continue;
    if (f.type === 'money')
      out.push(`customFields.${f.code}.amount`, `customFields.${f.code}.currency`);
    else out.push(`customFields.${f.code}`);
  }
  return out;
}

/** A mapping as sent: `{ "csv column": "field" }`; null or "" leaves a column out. */
export type RawMapping = Record<string, string | null>;

/**
 * Checks a mapping sent with an upload against the record type (and, once the header has
 * been read, against the file's columns). Every problem is reported at once, each naming the
 * column as `mapping.<column>`.
 */
export function checkMapping(
  def: ResourceDefinition,
  mapping: RawMapping,
  header: readonly string[] | null,
): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Map<string, string>();
  for (const [column, field] of Object.entries(mapping)) {
    const at = `mapping.${column}`;
    if (field === null || field === '') continue;
    if (typeof field !== 'string') {
      errors.push({ field: at, rule: 'isString', message: 'must be a field name or null' });
      continue;
    }
    const target = targetOf(def, field);
    if (!target) {
      errors.push({
        field: at,
        rule: 'unknownField',
        message: `"${field}" is not a field of ${def.entity} that an import can set`,
        params: { value: field, values: importableFields(def).join(', ') },
      });
      continue;
    }
    const key = normalise(field, target);
    const other = seen.get(key);
    if (other !== undefined) {
      errors.push({
        field: at,
        rule: 'sameField',
        message: `maps to ${field}, as column "${other}" does`,
        params: { value: field, other },
      });
    }
    seen.set(key, column);
    if (header && !header.includes(column)) {
      errors.push({
        field: at,
        rule: 'notInFile',
        message: 'is not a column of the file',
        params: { value: column },
      });
    }
  }
  if (seen.size === 0 && errors.length === 0)
    errors.push({ field: 'mapping', rule: 'required', message: 'maps no column to a field' });
  return errors;
}

/**
 * The columns to read. With a mapping, its entries; without one, every column whose header
 * is the name of a field (as an export writes them), so an export imports back as it is.
 */
export function resolveMapping(
  def: ResourceDefinition,
  header: readonly string[],
  mapping: RawMapping | null,
): { columns: ColumnMapping[]; ignored: string[] } {
  const columns: ColumnMapping[] = [];
  const ignored: string[] = [];
  header.forEach((column, index) => {
    const field = mapping ? mapping[column] : column;
    const target = field ? targetOf(def, field) : null;
    if (field && target) columns.push({ index, column, field: normalise(field, target), target });
    else ignored.push(column);
  });
  return { columns, ignored };
}

const INTEGER = /^[+-]?\d{1,15}$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

function bool(text: string): boolean | string {
  const t = text.toLowerCase();
  return TRUE.has(t) ? true : FALSE.has(t) ? false : text;
}

function list(text: string): string[] {
  return text
    .split(LIST_SEPARATOR)
    .map((s) => s.trim())
    .filter(Boolean);
}

function customValue(f: CustomFieldConfig, text: string): unknown {
  switch (f.type) {
    case 'number':
      return NUMBER.test(text) ? Number(text) : text;
    case 'boolean':
      return bool(text);
    case 'multiPicklist':
      return list(text);
    default:
      return text;
  }
}

export interface RowInput {
  input: Record<string, unknown>;
  errors: FieldError[];
}

/**
 * One CSV record as an API body, the way a client would have sent it: cells are trimmed, an
 * empty cell leaves its field out (an import never clears a value), numbers and booleans
 * become JSON numbers and booleans where the field takes them, lists are split on `;`,
 * money without a currency takes `defaultCurrency`. Whether the values are valid is for the
 * resource's own validators to say.
 */
export function rowToInput(
  columns: readonly ColumnMapping[],
  cells: readonly string[],
  defaultCurrency: string,
): RowInput {
  const input: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  const custom: Record<string, unknown> = {};
  const objects = new Map<string, Record<string, unknown>[]>();
  const money = new Map<string, { amount?: string; currency?: string; custom: boolean }>();
  for (const c of columns) {
    const raw = cells[c.index];
    if (raw === undefined) continue;
    const text = unescapeCell(raw.trim());
    if (text === '') continue;
    const t = c.target;
    switch (t.kind) {
      case 'scalar': {
        const type = t.attribute.type;
        input[t.attribute.name] =
          type === 'integer' && INTEGER.test(text)
            ? Number(text)
            : type === 'boolean'
              ? bool(text)
              : text;
        break;
      }
      case 'list':
        input[t.attribute.name] = list(text);
        break;
      case 'json':
        try {
          input[t.attribute.name] = JSON.parse(text);
        } catch {
          errors.push({
            field: t.attribute.name,
            rule: 'isJson',
            message: 'must be JSON (or map the column to one of its keys, e.g. phones.number)',
          });
        }
        break;
      case 'jsonPart': {
        if (t.index >= MAX_OBJECTS) break;
        const items = objects.get(t.attribute.name) ?? [];
        items[t.index] = { ...(items[t.index] ?? {}), [t.key]: text };
        objects.set(t.attribute.name, items);
        break;
      }
      case 'money':
      case 'customMoney': {
        const name = t.kind === 'money' ? t.attribute.name : t.field.code;
        const m = money.get(name) ?? { custom: t.kind === 'customMoney' };
        m[t.part] = t.part === 'currency' ? text.toUpperCase() : text;
        money.set(name, m);
        break;
      }
      case 'custom':
        custom[t.field.code] = customValue(t.field, text);
        break;
    }
  }
  for (const [name, items] of objects) {
    // A JSON column and key columns of the same field add up.
    const given = Array.isArray(input[name]) ? (input[name] as unknown[]) : [];
    input[name] = [...given, ...items.filter(Boolean)];
  }
  for (const [name, m] of money) {
    if (m.amount === undefined) {
      errors.push({
        field: m.custom ? `customFields.${name}.amount` : `${name}.amount`,
        rule: 'required',
        message: 'is required when a currency is given',
      });
      continue;
    }
    const value = { amount: m.amount, currency: m.currency ?? defaultCurrency };
    if (m.custom) custom[name] = value;
    else input[name] = value;
  }
  if (Object.keys(custom).length) input.customFields = custom;
  return { input, errors };
}

/**
 * The CSV column a validation error is about: the one mapped to the error's field, or to the
 * field it belongs to (`phones[0].number` → the column mapped to `phones[0].number` or
 * `phones`).
 */
export function columnOf(columns: readonly ColumnMapping[], field: string): ColumnMapping | null {
  const exact = columns.find((c) => c.field === field);
  if (exact) return exact;
  const root = field.startsWith('customFields.')
    ? field.split('.').slice(0, 2).join('.')
    : field.split(/[.[]/)[0];
  return (
    columns.find(
      (c) => c.field === root || c.field.startsWith(`${root}.`) || c.field.startsWith(`${root}[`),
    ) ?? null
  );
}
