import { registerDecorator } from 'class-validator';

/** Exactly `YYYY-MM-DD` naming a day that exists: no times, no `2026-02-30`, no `31/12/2026`. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export function IsCalendarDate() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isDateString',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (v: unknown) => isCalendarDate(v),
        defaultMessage: () => `${propertyName} must be a date YYYY-MM-DD`,
      },
    });
}
