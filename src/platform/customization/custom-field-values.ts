import { isEmail, isURL } from 'class-validator';
import type { FieldError } from '#platform/http/app-error.js';
import { isInstant } from '#platform/records/dto/is-instant.validator.js';
import type { CustomFieldConfig } from './customization.schema.js';

const DECIMAL = /^-?\d{1,18}(\.\d{1,6})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const PHONE = /^\+?[0-9 ()./-]{3,40}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const DEFAULT_MAX_LENGTH: Partial<Record<CustomFieldConfig['type'], number>> = {
  text: 255,
  longText: 100_000,
  email: 254,
  url: 2000,
  phone: 40,
};

function validDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/**
 * Checks one custom field value against its definition and returns it in stored form
 * (datetimes as UTC ISO strings, which the contract promises). Errors name the field as
 * `customFields.<code>`. Database checks (references, uniqueness) are CustomFieldValidator's.
 */
export function checkCustomValue(
  f: CustomFieldConfig,
  value: unknown,
): { value?: unknown; error?: FieldError } {
  const field = `customFields.${f.code}`;
  const fail = (rule: string, message: string, params?: Record<string, unknown>) => ({
    error: { field, rule, message, params },
  });
  const inRange = (n: number | string, cmp: (a: number | string, b: number | string) => boolean) =>
    (f.min === undefined || cmp(n, f.min) || n === f.min) &&
    (f.max === undefined || cmp(f.max, n) || n === f.max);
  switch (f.type) {
    case 'text':
    case 'longText':
    case 'email':
    case 'url':
    case 'phone': {
      if (typeof value !== 'string') return fail('isString', 'must be a string');
      const max = f.maxLength ?? DEFAULT_MAX_LENGTH[f.type]!;
      if (value.length > max)
        return fail('maxLength', `must be at most ${max} characters`, { max });
      if (f.type === 'email' && !isEmail(value)) return fail('isEmail', 'must be an email address');
      if (
        f.type === 'url' &&
        !isURL(value, { protocols: ['http', 'https'], require_protocol: true })
      )
        return fail('isUrl', 'must be a URL');
      if (f.type === 'phone' && !PHONE.test(value))
        return fail('isPhone', 'must be a phone number');
      if (f.regex && !new RegExp(f.regex).test(value))
        return fail('matches', 'has an invalid format');
      return { value };
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return fail('isNumber', 'must be a number');
      if (f.min !== undefined && value < Number(f.min))
        return fail('min', `must be at least ${f.min}`, { min: f.min });
      if (f.max !== undefined && value > Number(f.max))
        return fail('max', `must be at most ${f.max}`, { max: f.max });
      return { value };
    }
    case 'decimal': {
      if (typeof value !== 'string' || !DECIMAL.test(value))
        return fail('isDecimal', 'must be a decimal string such as "12.50"');
      if (f.min !== undefined && Number(value) < Number(f.min))
        return fail('min', `must be at least ${f.min}`, { min: f.min });
      if (f.max !== undefined && Number(value) > Number(f.max))
        return fail('max', `must be at most ${f.max}`, { max: f.max });
      return { value };
    }
    case 'money': {
      const m = value as { amount?: unknown; currency?: unknown } | null;
      if (!m || typeof m !== 'object' || Array.isArray(m))
        return fail('isObject', 'must be { amount, currency }');
      const extra = Object.keys(m).filter((k) => k !== 'amount' && k !== 'currency');
      if (extra.length)
        return {
          error: {
            field: `${field}.${extra[0]}`,
            rule: 'unknownField',
            message: 'is not a known field',
          },
        };
      if (typeof m.amount !== 'string' || !DECIMAL.test(m.amount))
        return {
          error: {
            field: `${field}.amount`,
            rule: 'isDecimal',
            message: 'must be a decimal string',
          },
        };
      if (typeof m.currency !== 'string' || !CURRENCIES.has(m.currency))
        return {
          error: {
            field: `${field}.currency`,
            rule: 'isCurrency',
            message: 'must be an ISO 4217 code',
          },
        };
      return { value: { amount: m.amount, currency: m.currency } };
    }
    case 'boolean':
      return typeof value === 'boolean' ? { value } : fail('isBoolean', 'must be true or false');
    case 'date': {
      if (typeof value !== 'string' || !DATE.test(value) || !validDate(value))
        return fail('isDate', 'must be a date YYYY-MM-DD');
      if (!inRange(value, (a, b) => String(a) < String(b)))
        return fail('min', `must be between ${f.min ?? '…'} and ${f.max ?? '…'}`, { min: f.min });
      return { value };
    }
    case 'datetime': {
      if (!isInstant(value)) {
        return fail('isDate', 'must be an ISO 8601 date-time with a time zone');
      }
      return { value: new Date(value).toISOString() };
    }
    case 'picklist': {
      const values = (f.options ?? []).map((o) => o.value);
      return typeof value === 'string' && values.includes(value)
        ? { value }
        : fail('isIn', `must be one of: ${values.join(', ')}`, { values: values.join(', ') });
    }
    case 'multiPicklist': {
      const values = (f.options ?? []).map((o) => o.value);
      if (
        !Array.isArray(value) ||
        value.some((v) => typeof v !== 'string' || !values.includes(v))
      ) {
        return fail('isIn', `must be a list of: ${values.join(', ')}`, {
          values: values.join(', '),
        });
      }
      return { value: [...new Set(value as string[])] };
    }
    case 'formula':
    case 'rollup':
      return fail('serverOwned', 'is computed and cannot be written');
    case 'reference':
      return typeof value === 'string' && UUID.test(value)
        ? { value: value.toLowerCase() }
        : fail('isUuid', 'must be a UUID');
  }
}
