import type { QueryField } from '#platform/query/query-schema.js';
import type {
  CustomFieldConfig,
  CustomizationConfig,
  PicklistOption,
  RequiredWhenRule,
} from './customization.schema.js';

/**
 * Custom fields, picklists and rules from crm.config.yaml, set once at start and read by the
 * validators, the list query builder and the OpenAPI document. A plain module value because
 * class-validator decorators, which run outside dependency injection, read it too.
 */
class CustomizationRegistry {
  private config: CustomizationConfig = {};

  configure(config: CustomizationConfig): void {
    this.config = config;
  }

  fieldsOf(entity: string): readonly CustomFieldConfig[] {
    return this.config[entity]?.fields ?? [];
  }

  field(entity: string, code: string): CustomFieldConfig | undefined {
    return this.fieldsOf(entity).find((f) => f.code === code);
  }

  /** Configured values of a built-in picklist field, or undefined to keep the built-in ones. */
  picklist(entity: string, field: string): readonly PicklistOption[] | undefined {
    return this.config[entity]?.picklists?.[field];
  }

  rulesOf(entity: string): readonly RequiredWhenRule[] {
    return this.config[entity]?.rules ?? [];
  }

  entities(): string[] {
    return Object.keys(this.config);
  }
}

export const customization = new CustomizationRegistry();

/** SQL reading a custom field's value (same text in list queries and in index definitions). */
export function customFieldSql(
  column: string,
  field: CustomFieldConfig,
  part?: 'amount' | 'currency',
): string {
  const code = field.code;
  switch (field.type) {
    case 'number':
    case 'decimal':
      return `((${column}->>'${code}')::numeric)`;
    case 'boolean':
      return `((${column}->>'${code}')::boolean)`;
    case 'reference':
      return `((${column}->>'${code}')::uuid)`;
    case 'money':
      return part === 'currency'
        ? `(${column}->'${code}'->>'currency')`
        : `((${column}->'${code}'->>'amount')::numeric)`;
    case 'multiPicklist':
      return `(${column}->'${code}')`;
    default:
      return `(${column}->>'${code}')`;
  }
}

/** The list-query fields a custom field adds: `customFields.<code>` (and `.amount`/`.currency` for money). */
export function customQueryFields(alias: string, entity: string): QueryField[] {
  const column = `${alias}.custom_fields`;
  const out: QueryField[] = [];
  for (const f of customization.fieldsOf(entity)) {
    if (f.type === 'formula' || f.type === 'rollup') continue; // compiled with the other fields as input
    const base = {
      nullable: true,
      sortable: f.type !== 'multiPicklist' && f.type !== 'longText',
      permissionField: `customFields.${f.code}`,
    };
    const name = `customFields.${f.code}`;
    switch (f.type) {
      case 'number':
      case 'decimal':
        out.push({ ...base, name, sql: customFieldSql(column, f), type: 'decimal' });
        break;
      case 'boolean':
        out.push({ ...base, name, sql: customFieldSql(column, f), type: 'boolean' });
        break;
      case 'reference':
        out.push({ ...base, name, sql: customFieldSql(column, f), type: 'uuid' });
        break;
      case 'money':
        out.push({
          ...base,
          name: `${name}.amount`,
          sql: customFieldSql(column, f, 'amount'),
          type: 'decimal',
        });
        out.push({
          ...base,
          name: `${name}.currency`,
          sql: customFieldSql(column, f, 'currency'),
          type: 'string',
        });
        break;
      case 'date':
        // Stored as ISO text: text order is date order, and the expression stays indexable.
        out.push({ ...base, name, sql: customFieldSql(column, f), type: 'date', castAs: 'text' });
        break;
      case 'datetime':
        out.push({
          ...base,
          name,
          sql: customFieldSql(column, f),
          type: 'datetime',
          castAs: 'text',
        });
        break;
      case 'picklist':
        out.push({
          ...base,
          name,
          sql: customFieldSql(column, f),
          type: 'enum',
          values: f.options?.map((o) => o.value),
        });
        break;
      case 'multiPicklist':
        out.push({
          ...base,
          name,
          sql: customFieldSql(column, f),
          type: 'string[]',
          jsonArray: true,
          values: f.options?.map((o) => o.value),
        });
        break;
      default:
        out.push({
          ...base,
          name,
          sql: customFieldSql(column, f),
          type: 'string',
          caseInsensitive: f.type === 'email',
        });
    }
  }
  return out;
}
