import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { AppError, type FieldError } from '#platform/http/app-error.js';
import { conditionHolds, valueAtPath } from '#platform/records/record-condition.js';
import type { ResourceDefinition } from '#platform/records/resource-definition.js';
import { customization } from './custom-field-registry.js';
import { checkCustomValue } from './custom-field-values.js';

const empty = (v: unknown) =>
  v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * The one custom-field validator: types and limits of every value, defaults and required
 * fields on create, references to readable records, uniqueness, and required-when rules.
 * Reports every problem of a request at once.
 */
@Injectable()
export class CustomFieldValidator {
  constructor(private readonly db: DatabaseService) {}

  /** The record's custom fields after applying `given`, checked. */
  async prepare(
    ctx: RequestContext,
    def: ResourceDefinition,
    given: Record<string, unknown> | undefined,
    existing: { id: string; customFields: Record<string, unknown> } | null,
    /** Whether the caller can read the record a reference points at (the records' own read rule). */
    readable: (entity: string, id: string) => Promise<boolean>,
  ): Promise<Record<string, unknown>> {
    const fields = customization.fieldsOf(def.entity);
    const result: Record<string, unknown> = { ...(existing?.customFields ?? {}) };
    // Formula and roll-up values are read from SQL on every read; never stored.
    for (const f of fields) if (f.type === 'formula' || f.type === 'rollup') delete result[f.code];
    const errors: FieldError[] = [];
    for (const [code, raw] of Object.entries(given ?? {})) {
      const f = fields.find((x) => x.code === code);
      if (!f) {
        errors.push({
          field: `customFields.${code}`,
          rule: 'unknownField',
          message: 'is not a custom field of this record',
        });
        continue;
      }
      if (raw === null) {
        if (f.required)
          errors.push({ field: `customFields.${code}`, rule: 'required', message: 'is required' });
        delete result[code];
        continue;
      }
      const { value, error } = checkCustomValue(f, raw);
      if (error) errors.push(error);
      else result[code] = value;
    }
    if (!existing) {
      for (const f of fields) {
        if (result[f.code] === undefined && f.default !== undefined)
          result[f.code] = checkCustomValue(f, f.default).value;
        if (
          f.required &&
          empty(result[f.code]) &&
          !errors.some((e) => e.field === `customFields.${f.code}`)
        ) {
          errors.push({
            field: `customFields.${f.code}`,
            rule: 'required',
            message: 'is required',
          });
        }
      }
    }
    if (errors.length === 0) {
      for (const code of Object.keys(given ?? {})) {
        const f = fields.find((x) => x.code === code)!;
        const value = result[code];
        if (value === undefined) continue;
        if (f.type === 'reference' && !(await readable(f.references!, value as string))) {
          errors.push({
            field: `customFields.${code}`,
            rule: 'notFound',
            message: 'refers to a record that does not exist',
          });
        }
        if (f.unique) {
          const taken = await this.db.one(
            ctx,
            `SELECT 1 FROM ${def.table} WHERE custom_fields->>'${f.code}' = $1 AND deleted_at IS NULL AND id IS DISTINCT FROM $2
               ${def.discriminator ? `AND ${def.discriminator.column} = $3` : ''} LIMIT 1`,
            [
              typeof value === 'string' ? value : JSON.stringify(value),
              existing?.id ?? null,
              ...(def.discriminator ? [def.discriminator.value] : []),
            ],
          );
          if (taken)
            throw new AppError('unique_violation', { field: `customFields.${code}` }, undefined, {
              field: `customFields.${code}`,
            });
        }
      }
    }
    if (errors.length) throw AppError.validation(errors);
    return result;
  }

  /** Required-when rules of the entity, against the record as it will be stored. */
  checkRules(def: ResourceDefinition, record: Record<string, unknown>): void {
    const errors: FieldError[] = [];
    for (const rule of customization.rulesOf(def.entity)) {
      if (conditionHolds(record, rule.requiredWhen) && empty(valueAtPath(record, rule.field))) {
        const when = `${rule.requiredWhen.field} ${rule.requiredWhen.op} ${JSON.stringify(rule.requiredWhen.value ?? true)}`;
        errors.push({
          field: rule.field,
          rule: 'requiredWhen',
          message: rule.message?.en ?? `is required when ${when}`,
          params: { when, messages: rule.message },
        });
      }
    }
    if (errors.length) throw AppError.validation(errors);
  }
}
