import { AppError, type FieldError } from './app-error.js';

/**
 * How deep a JSON body may nest (objects and arrays). Real records are a few levels deep;
 * class-transformer and class-validator recurse per level, so a body nested thousands of
 * levels deep would exhaust the stack before validation could answer.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * PostgreSQL text cannot hold U+0000, and a lone UTF-16 surrogate is not a character at all
 * (it cannot be encoded as UTF-8): either would fail deep in a driver or validator.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const isUnstorable = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);

/** Whether PostgreSQL can store the text: for strings decoded from a cursor or a file. */
export const isStorableText = (text: string) => !isUnstorable(text);

/**
 * Keys that name JavaScript's object machinery rather than data. No field is called so, and
 * class-transformer follows `constructor` of a plain object into its metadata lookup and throws.
 */
const OBJECT_MACHINERY = new Set(['__proto__', 'constructor', 'prototype']);

function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/** The field error for a string that cannot be stored, named by where it was found. */
function unstorable(field: string, text: string): FieldError {
  return text.includes('\u0000')
    ? { field, rule: 'nulCharacter', message: 'must not contain the NUL character (U+0000)' }
    : { field, rule: 'loneSurrogate', message: 'must not contain a lone UTF-16 surrogate' };
}

/**
 * Checks a parsed JSON body before anything transforms it: nesting depth, and every string
 * (keys included) at any depth. Iterative, so the check itself cannot overflow the stack.
 */
export function assertSafeJsonBody(body: unknown): void {
  const errors: FieldError[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value: body, path: '', depth: 0 },
  ];
  while (stack.length > 0 && errors.length < 20) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (isUnstorable(value)) errors.push(unstorable(path || '(body)', value));
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH)
      throw new AppError('body_too_deep', {
        max: MAX_JSON_DEPTH,
        field: path.length > 80 ? `${path.slice(0, 80)}…` : path || '(body)',
      });
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], path: fieldPath(path, i), depth: depth + 1 });
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = fieldPath(path, key);
      if (isUnstorable(key)) errors.push(unstorable(childPath, key));
      else if (OBJECT_MACHINERY.has(key))
        errors.push({ field: childPath, rule: 'reservedKey', message: 'is not a field name' });
      else stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  if (errors.length) throw AppError.validation(errors);
}

/**
 * Checks the query string (`q`, `filter[...]`, `sort`, `fields`, `cursor`, …) and the path
 * parameters: names and values, one value or repeated.
 */
export function assertSafeRequestText(
  query: Record<string, unknown> | null | undefined,
  params: Record<string, unknown> | null | undefined,
): void {
  const errors: FieldError[] = [];
  for (const [source, values] of [
    ['query', query],
    ['path', params],
  ] as const) {
    for (const [name, raw] of Object.entries(values ?? {})) {
      if (isUnstorable(name)) {
        errors.push(unstorable(source === 'query' ? '(query)' : '(path)', name));
        continue;
      }
      for (const value of Array.isArray(raw) ? (raw as unknown[]) : [raw])
        if (typeof value === 'string' && isUnstorable(value)) {
          errors.push(unstorable(name, value));
          break;
        }
    }
  }
  if (errors.length) throw new AppError('invalid_query', {}, errors);
}
