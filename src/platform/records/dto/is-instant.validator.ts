import { registerDecorator } from 'class-validator';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO 8601 date-time with a time zone (`2026-05-01T09:30:00+07:00` or `…Z`). A time without
 * a zone would be read in whatever zone the server runs in, so it is refused, not guessed.
 */
export function isInstant(value: unknown): value is string {
  return typeof value === 'string' && INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

export function IsInstant() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isDateString',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (v: unknown) => isInstant(v),
        defaultMessage: () => `${propertyName} must be an ISO 8601 date-time with a time zone`,
      },
    });
}
