import fc from 'fast-check';

/** The parts of an OpenAPI 3 schema object a generator reads. */
export interface SchemaObject {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  items?: SchemaObject;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  additionalProperties?: boolean | SchemaObject;
  allOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  anyOf?: SchemaObject[];
  example?: unknown;
}

export interface SchemaDocument {
  components: { schemas: Record<string, SchemaObject> };
}

/** Long strings and lists make requests slow without finding more: generated ones stay short. */
const MAX_TEXT = 40;
const MAX_ITEMS = 4;
const MAX_DEPTH = 5;

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const dates = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2099-12-31T00:00:00Z'),
  noInvalidDate: true,
});

function stringOf(s: SchemaObject): fc.Arbitrary<string> {
  const minLength = s.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(s.maxLength ?? MAX_TEXT, MAX_TEXT));
  const fits = (v: string) =>
    v.length >= minLength && v.length <= (s.maxLength ?? Number.MAX_SAFE_INTEGER);
  switch (s.format) {
    case 'uuid':
      return fc.uuid();
    case 'date':
      return dates.map(isoDate);
    case 'date-time':
      return dates.map((d) => d.toISOString());
    case 'email':
      return fc.emailAddress().filter(fits);
    case 'uri':
    case 'url':
      return fc.webUrl().filter(fits);
    default:
  }
  if (s.pattern) {
    let pattern: RegExp | null = null;
    try {
      pattern = new RegExp(s.pattern);
    } catch {
      // not a JavaScript pattern: fall back to plain text
    }
    if (pattern) return fc.stringMatching(pattern).filter(fits);
  }
  return fc.string({ minLength, maxLength });
}

function numberOf(s: SchemaObject, integer: boolean): fc.Arbitrary<number> {
  const min = s.minimum ?? (integer ? -1000 : -1e6);
  const max = s.maximum ?? (integer ? 1_000_000 : 1e9);
  return integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/**
 * Values valid against a schema of the API document: types, formats, enums, lengths, ranges,
 * required and optional properties, nullable. What the server then refuses beyond the schema
 * (a referenced record that does not exist, a rule across fields) it must refuse with a 4xx.
 */
export function arbitraryOf(
  schema: SchemaObject,
  doc: SchemaDocument,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() ?? '';
    return arbitraryOf(doc.components.schemas[name] ?? {}, doc, depth);
  }
  const base = ((): fc.Arbitrary<unknown> => {
    if (schema.allOf) {
      const merged: SchemaObject = { type: 'object', properties: {}, required: [] };
      for (const part of schema.allOf) {
        const p = part.$ref
          ? (doc.components.schemas[part.$ref.split('/').pop() ?? ''] ?? {})
          : part;
        if (!p.properties && schema.allOf.length === 1) return arbitraryOf(p, doc, depth);
        Object.assign(merged.properties!, p.properties ?? {});
        merged.required!.push(...(p.required ?? []));
      }
      return arbitraryOf(merged, doc, depth);
    }
    const choices = schema.oneOf ?? schema.anyOf;
    if (choices) return fc.oneof(...choices.map((c) => arbitraryOf(c, doc, depth)));
    if (schema.enum) return fc.constantFrom(...schema.enum.filter((v) => v !== null));
    switch (schema.type) {
      case 'string':
        return stringOf(schema);
      case 'integer':
        return numberOf(schema, true);
      case 'number':
        return numberOf(schema, false);
      case 'boolean':
        return fc.boolean();
      case 'array': {
        const minLength = schema.minItems ?? 0;
        if (depth >= MAX_DEPTH && minLength === 0) return fc.constant([]);
        return fc.array(arbitraryOf(schema.items ?? {}, doc, depth + 1), {
          minLength,
          maxLength: Math.max(minLength, Math.min(schema.maxItems ?? MAX_ITEMS, MAX_ITEMS)),
        });
      }
      case 'object':
      case undefined: {
        if (!schema.properties) {
          const extra = schema.additionalProperties;
          if (typeof extra === 'object' && depth < MAX_DEPTH)
            return fc.dictionary(
              fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,10}$/),
              arbitraryOf(extra, doc, depth + 1),
              { maxKeys: 3 },
            );
          return schema.type === 'object' ? fc.constant({}) : fc.constant(null);
        }
        const required = new Set(schema.required ?? []);
        const props = Object.entries(schema.properties).filter(
          ([name]) => depth < MAX_DEPTH || required.has(name),
        );
        return fc.record(
          Object.fromEntries(props.map(([name, p]) => [name, arbitraryOf(p, doc, depth + 1)])),
          { requiredKeys: props.map(([name]) => name).filter((n) => required.has(n)) },
        );
      }
      default:
        return fc.constant(null);
    }
  })();
  const withExample =
    schema.example !== undefined ? fc.oneof(base, fc.constant(schema.example)) : base;
  return schema.nullable ? fc.option(withExample, { nil: null }) : withExample;
}
