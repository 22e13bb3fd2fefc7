import { registerDecorator } from 'class-validator';

const ZONES = new Set(Intl.supportedValuesOf('timeZone').concat('UTC'));

export function isTimeZone(value: unknown): value is string {
  return typeof value === 'string' && ZONES.has(value);
}

/** An IANA time zone name such as `Asia/Jakarta`; reported with the `isTimeZone` rule. */
export function IsTimeZone() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (v: unknown) => isTimeZone(v),
        defaultMessage: () => `${propertyName} must be an IANA time zone`,
      },
    });
}
