import { isCurrencyCode } from '#platform/currency/currency-codes.js';
import { UUID_PATTERN } from '#platform/database/uuid7.js';
import { AppError, type FieldError } from './app-error.js';
import { isCalendarDate } from './is-calendar-date.validator.js';

const MAX_LENGTH = 100;

/**
 * The query parameters of a report-like endpoint, checked by name and type. Every problem is
 * collected and reported at once by `done()` as `invalid_query`: unknown names, repeated
 * ones, values of the wrong form or out of range — never ignored, never a 500.
 */
export class QueryParams {
  private readonly errors: FieldError[] = [];

  constructor(
    private readonly raw: Record<string, unknown>,
    known: readonly string[],
  ) {
    for (const name of Object.keys(raw))
      if (!known.includes(name))
        this.fail(name, 'unknownField', 'is not a known query parameter', {
          messages: {
            en: `is not a known query parameter (known: ${known.join(', ')})`,
            id: `bukan parameter kueri yang dikenal (yang dikenal: ${known.join(', ')})`,
          },
        });
  }

  fail(field: string, rule: string, message: string, params?: Record<string, unknown>): void {
    this.errors.push({ field, rule, message, params });
  }

  /** The raw text of a parameter given once, or undefined (absent, or already reported). */
  text(name: string, required = false): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === '') {
      if (required) this.fail(name, 'required', 'is required');
      return undefined;
    }
    if (typeof value !== 'string') {
      this.fail(name, 'once', 'must be given once');
      return undefined;
    }
    if (value.length > MAX_LENGTH) {
      this.fail(name, 'maxLength', `must be at most ${MAX_LENGTH} characters`, {
        max: MAX_LENGTH,
      });
      return undefined;
    }
    return value;
  }

  /** One of `values`, or `fallback` when absent. */
  oneOf<T extends string, F extends T | null>(
    name: string,
    values: readonly T[],
    fallback: F,
  ): T | F | undefined {
    const value = this.text(name);
    if (value === undefined) return fallback;
    if ((values as readonly string[]).includes(value)) return value as T;
    this.fail(name, 'isIn', `must be one of: ${values.join(', ')}`, { values: values.join(', ') });
    return undefined;
  }

  date(name: string, required: boolean): string | undefined {
    const value = this.text(name, required);
    if (value === undefined || isCalendarDate(value)) return value;
    this.fail(name, 'isDate', 'must be a date YYYY-MM-DD');
    return undefined;
  }

  integer(name: string, min: number, max: number, fallback: number): number | undefined {
    const value = this.text(name);
    if (value === undefined) return fallback;
    if (!/^-?\d{1,9}$/.test(value)) {
      this.fail(name, 'isInt', 'must be a whole number');
      return undefined;
    }
    const n = Number(value);
    if (n < min) this.fail(name, 'min', `must be at least ${min}`, { min });
    else if (n > max) this.fail(name, 'max', `must be at most ${max}`, { max });
    else return n;
    return undefined;
  }

  uuid(name: string): string | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    if (UUID_PATTERN.test(value)) return value.toLowerCase();
    this.fail(name, 'isUuid', 'must be a UUID');
    return undefined;
  }

  currency(name: string, required: boolean): string | undefined {
    const value = this.text(name, required);
    if (value === undefined || isCurrencyCode(value)) return value;
    this.fail(name, 'isCurrency', 'must be an ISO 4217 currency code');
    return undefined;
  }

  /** Throws the collected problems, if any. */
  done(): void {
    if (this.errors.length) throw new AppError('invalid_query', {}, this.errors);
  }
}
