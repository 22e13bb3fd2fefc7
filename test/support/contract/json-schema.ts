/**
 * OpenAPI 3.0 schema objects as JSON Schema 2020-12, so ajv can hold responses to them.
 *
 * - `nullable: true` becomes a null type (or a null branch when the schema composes others);
 * - `example`, `xml`, `externalDocs` and `discriminator` carry no rule and are dropped;
 * - an object that lists its properties is closed: a field the document does not name is a
 *   drift, because a client generated from the document cannot know it. `unevaluatedProperties`
 *   rather than `additionalProperties` keeps that right through `allOf` and `$ref`.
 * - `$ref`s to components point into the document registered under `documentId`;
 * - with a projection (the names a request's `fields=` asked for), a component requires only
 *   the projected properties it required before: the server leaves the others out.
 */

type Json = Record<string, unknown>;

const DROPPED = new Set(['example', 'xml', 'externalDocs', 'discriminator', 'nullable']);
const COMPOSING = ['allOf', 'anyOf', 'oneOf', '$ref'];

interface Conversion {
  documentId: string;
  projection?: ReadonlySet<string>;
}

function convertNode(node: unknown, c: Conversion): unknown {
  if (Array.isArray(node)) return node.map((n) => convertNode(n, c));
  if (!node || typeof node !== 'object') return node;
  const source = node as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (DROPPED.has(key)) continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/'))
      out.$ref = `${c.documentId}${value}`;
    else if (key === 'properties' || key === 'patternProperties')
      out[key] = Object.fromEntries(
        Object.entries(value as Json).map(([name, sub]) => [name, convertNode(sub, c)]),
      );
    else if (key === 'required' && c.projection)
      out.required = (value as string[]).filter((name) => c.projection?.has(name));
    else if (key === 'enum' || key === 'default' || key === 'const' || key === 'required')
      out[key] = value;
    else out[key] = convertNode(value, c);
  }
  if (source.properties && source.additionalProperties === undefined)
    out.unevaluatedProperties = false;
  if (source.nullable !== true) return out;
  if (typeof out.type === 'string' && !COMPOSING.some((k) => k in out)) {
    out.type = [out.type, 'null'];
    return out;
  }
  const { description, title, ...rest } = out;
  return { description, title, anyOf: [{ type: 'null' }, rest] };
}

/** The JSON Schema of one OpenAPI schema object (a response body's, a component's). */
export function toJsonSchema(schema: unknown, documentId: string): Json {
  return convertNode(schema, { documentId }) as Json;
}

/** The whole document as one registrable schema, so `$ref`s into its components resolve. */
export function documentSchema(
  document: Json,
  documentId: string,
  projection?: ReadonlySet<string>,
): Json {
  const components = (document.components ?? {}) as Json;
  const schemas = (components.schemas ?? {}) as Json;
  return {
    $id: documentId,
    components: {
      schemas: Object.fromEntries(
        Object.entries(schemas).map(([name, s]) => [
          name,
          convertNode(s, { documentId, projection }),
        ]),
      ),
    },
  };
}

const INT32 = 2 ** 31;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

function isDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [, y, mo, d] = m.map(Number);
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
}

function isDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m || !isDate(m[1])) return false;
  const [h, min, s] = [m[2], m[3], m[4]].map(Number);
  return h < 24 && min < 60 && s < 61;
}

function isUri(value: string): boolean {
  try {
    return Boolean(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** The formats OpenAPI names, as a client reading the document would check them. */
export const FORMATS = {
  uuid: UUID,
  date: isDate,
  'date-time': isDateTime,
  email: /^[^\s@]+@[^\s@]+$/,
  uri: isUri,
  binary: true as const,
  byte: /^[A-Za-z0-9+/]*={0,2}$/,
  password: true as const,
  int32: {
    type: 'number' as const,
    validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32,
  },
  int64: { type: 'number' as const, validate: (n: number) => Number.isSafeInteger(n) },
  float: { type: 'number' as const, validate: () => true },
  double: { type: 'number' as const, validate: () => true },
};
