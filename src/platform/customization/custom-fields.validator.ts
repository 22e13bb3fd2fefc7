import { registerDecorator } from 'class-validator';

/**
 * Custom field definitions per entity, filled from crm.config.yaml at start. Until an entity
 * declares custom fields, every key sent in `customFields` is unknown and refused.
 */
const definitions = new Map<string, Set<string>>();

export function defineCustomFields(entity: string, codes: Iterable<string>): void {
  definitions.set(entity, new Set(codes));
}

export function CustomFieldsOf(entity: string) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'unknownField',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => {
          if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
          const known = definitions.get(entity) ?? new Set<string>();
          return Object.keys(value).every((k) => known.has(k));
        },
        defaultMessage: () => `${propertyName} has keys that are not custom fields of ${entity}`,
      },
    });
}
