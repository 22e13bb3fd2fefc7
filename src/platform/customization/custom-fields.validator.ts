import { registerDecorator } from 'class-validator';
import { customization } from './custom-field-registry.js';

/**
 * `customFields` must be an object; its keys and values are checked field by field by
 * CustomFieldValidator, which can also reach the database (references, uniqueness).
 */
export function CustomFieldsOf(entity: string) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isObject',
      target: target.constructor,
      propertyName,
      constraints: [entity],
      validator: {
        validate: (value: unknown) =>
          value !== null && typeof value === 'object' && !Array.isArray(value),
        defaultMessage: () => `${propertyName} must be an object`,
      },
    });
}

/**
 * A built-in picklist field: the values configured for it in crm.config.yaml, else the
 * built-in list (none for free-text fields such as an account's industry).
 */
export function IsPicklistValue(entity: string, field: string, builtIn?: readonly string[]) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isIn',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => {
          const allowed = customization.picklist(entity, field)?.map((o) => o.value) ?? builtIn;
          return typeof value === 'string' && (!allowed || allowed.includes(value));
        },
        defaultMessage: () => {
          const allowed =
            customization.picklist(entity, field)?.map((o) => o.value) ?? builtIn ?? [];
          return `${propertyName} must be one of the following values: ${allowed.join(', ')}`;
        },
      },
    });
}
