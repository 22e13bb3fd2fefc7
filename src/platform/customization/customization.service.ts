import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { CRM_CONFIG } from '#platform/config/config.tokens.js';
import { CrmConfigError, type CrmConfig } from '#platform/config/crm-config.js';
import { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import {
  computedFieldErrors,
  picklistValues,
  querySchemaOf,
  recordSelect,
} from '#platform/records/resource-definition.js';
import { ResourceRegistry } from '#platform/records/resource-registry.js';
import { customFieldSql, customization } from './custom-field-registry.js';
import { checkCustomValue } from './custom-field-values.js';
import type { CustomFieldConfig } from './customization.schema.js';

export interface IndexPlan {
  name: string;
  table: string;
  sql: string;
}

const INDEX_PREFIX = 'cf_';

/**
 * Gives meaning to `customization` in crm.config.yaml: checks it against the record types
 * that exist (every problem listed at once, before the server serves), creates the indexes
 * of `indexed` / `unique` custom fields, and refuses to start when a picklist value that
 * records still use was removed from the config.
 */
export type UsageCheck = (ctx: RequestContext) => Promise<string[]>;

@Injectable()
export class CustomizationService implements OnApplicationBootstrap {
  private readonly usageChecks: UsageCheck[] = [];

  constructor(
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
    private readonly registry: ResourceRegistry,
    private readonly db: DatabaseService,
  ) {}

  /**
   * For config a module owns whose values records hold (such as stages): the check lists
   * records still using a value the config dropped, and the start stops as for picklists.
   */
  addUsageCheck(check: UsageCheck): void {
    this.usageChecks.push(check);
  }

  onApplicationBootstrap(): void {
    const problems = this.check();
    if (problems.length) throw new CrmConfigError('crm.config.yaml (customization)', problems);
    customization.configure(this.config.customization);
    // Formulas and roll-ups compile against the record types' fields, known only now.
    const compile = this.registry.entities().flatMap((entity) => {
      querySchemaOf(this.registry.get(entity));
      return computedFieldErrors.get(entity) ?? [];
    });
    if (compile.length) throw new CrmConfigError('crm.config.yaml (customization)', compile);
  }

  /** Problems of meaning in the customization section; empty when it is sound. */
  check(): string[] {
    const problems: string[] = [];
    const entities = new Set(this.registry.entities());
    for (const [entity, custom] of Object.entries(this.config.customization)) {
      const at = `/customization/${entity}`;
      if (!entities.has(entity)) {
        problems.push(`${at}: unknown entity "${entity}" (known: ${[...entities].join(', ')})`);
        continue;
      }
      const def = this.registry.get(entity);
      const builtIn = new Set(def.attributes.map((a) => a.name));
      const codes = new Set<string>();
      for (const [i, f] of (custom.fields ?? []).entries()) {
        const p = `${at}/fields/${i} (${f.code})`;
        if (codes.has(f.code)) problems.push(`${p}: code "${f.code}" is declared twice`);
        codes.add(f.code);
        if (builtIn.has(f.code))
          problems.push(`${p}: code "${f.code}" clashes with a built-in field of ${entity}`);
        problems.push(...this.checkField(p, f, entities));
      }
      for (const [field, options] of Object.entries(custom.picklists ?? {})) {
        const attr = def.attributes.find((a) => a.name === field);
        if (!attr?.picklist) {
          const allowed = def.attributes.filter((a) => a.picklist).map((a) => a.name);
          problems.push(
            `${at}/picklists/${field}: not a configurable picklist of ${entity} (configurable: ${allowed.join(', ') || 'none'})`,
          );
        }
        const values = options.map((o) => o.value);
        if (new Set(values).size !== values.length)
          problems.push(`${at}/picklists/${field}: a value is listed twice`);
      }
      const known = (name: string) =>
        builtIn.has(name) ||
        (name.startsWith('customFields.') && codes.has(name.slice('customFields.'.length)));
      for (const [i, rule] of (custom.rules ?? []).entries()) {
        if (!known(rule.field)) problems.push(`${at}/rules/${i}: unknown field "${rule.field}"`);
        if (!known(rule.requiredWhen.field))
          problems.push(
            `${at}/rules/${i}/requiredWhen: unknown field "${rule.requiredWhen.field}"`,
          );
        if (rule.requiredWhen.op === 'in' && !Array.isArray(rule.requiredWhen.value))
          problems.push(`${at}/rules/${i}/requiredWhen: "in" needs a list value`);
      }
    }
    return problems;
  }

  private checkField(at: string, f: CustomFieldConfig, entities: Set<string>): string[] {
    const problems: string[] = [];
    const computed = f.type === 'formula' || f.type === 'rollup';
    if (computed && (f.required || f.unique || f.indexed || f.default !== undefined)) {
      problems.push(
        `${at}: a ${f.type} is computed: required, unique, indexed and default do not apply`,
      );
    }
    if (f.type === 'rollup' && f.rollup && !entities.has(f.rollup.entity))
      problems.push(`${at}: rollup entity "${f.rollup.entity}" is unknown`);
    if ((f.expression !== undefined || f.resultType !== undefined) && f.type !== 'formula')
      problems.push(`${at}: expression and resultType apply to formulas only`);
    if (f.rollup !== undefined && f.type !== 'rollup')
      problems.push(`${at}: "rollup" applies to rollup fields only`);
    const needsOptions = f.type === 'picklist' || f.type === 'multiPicklist';
    if (needsOptions && !f.options?.length) problems.push(`${at}: a ${f.type} needs options`);
    if (!needsOptions && f.options) problems.push(`${at}: options apply to picklists only`);
    if (
      needsOptions &&
      f.options &&
      new Set(f.options.map((o) => o.value)).size !== f.options.length
    )
      problems.push(`${at}: an option value is listed twice`);
    if (f.type === 'reference' && (!f.references || !entities.has(f.references)))
      problems.push(`${at}: a reference needs "references" naming a known entity`);
    if (f.type !== 'reference' && f.references)
      problems.push(`${at}: "references" applies to reference fields only`);
    if (f.regex !== undefined) {
      try {
        new RegExp(f.regex);
      } catch {
        problems.push(`${at}: regex does not compile`);
      }
    }
    if (f.min !== undefined && f.max !== undefined && Number(f.min) > Number(f.max))
      problems.push(`${at}: min is greater than max`);
    if (
      f.unique &&
      (f.type === 'multiPicklist' ||
        f.type === 'money' ||
        f.type === 'longText' ||
        f.type === 'boolean')
    ) {
      problems.push(`${at}: a ${f.type} field cannot be unique`);
    }
    if (f.default !== undefined) {
      const { error } = checkCustomValue(f, f.default);
      if (error) problems.push(`${at}: default ${error.message}`);
      if (f.unique) problems.push(`${at}: a unique field cannot have a default`);
    }
    return problems;
  }

  /** The expression indexes the config asks for, by name. */
  plannedIndexes(): IndexPlan[] {
    const plans: IndexPlan[] = [];
    for (const [entity, custom] of Object.entries(this.config.customization)) {
      const def = this.registry.get(entity);
      const table = def.table;
      // Custom objects share one table: their indexes cover their own rows only. The value is
      // a config key matching ^[a-z][a-z0-9-]*$, safe inside DDL that cannot take parameters.
      const own = def.discriminator
        ? [`${def.discriminator.column} = '${def.discriminator.value}'`]
        : [];
      const prefix = `${INDEX_PREFIX}${def.discriminator ? def.discriminator.value.replace(/-/g, '_') : table}`;
      for (const f of custom.fields ?? []) {
        const expr =
          f.type === 'money'
            ? customFieldSql('custom_fields', f, 'amount')
            : customFieldSql('custom_fields', f);
        const base = `${prefix}_${f.code.toLowerCase()}`;
        if (f.unique) {
          const where = ['deleted_at IS NULL', ...own].join(' AND ');
          plans.push({
            name: `${base}_key`,
            table,
            sql: `CREATE UNIQUE INDEX IF NOT EXISTS ${base}_key ON ${table} (${expr}) WHERE ${where}`,
          });
        } else if (f.indexed) {
          const using = f.type === 'multiPicklist' ? `USING gin (${expr})` : `(${expr})`;
          const where = own.length ? ` WHERE ${own.join(' AND ')}` : '';
          plans.push({
            name: `${base}_idx`,
            table,
            sql: `CREATE INDEX IF NOT EXISTS ${base}_idx ON ${table} ${using}${where}`,
          });
        }
      }
    }
    return plans;
  }

  /** What applying the config would change in the database: indexes to create and to drop. */
  async plan(): Promise<{ create: IndexPlan[]; drop: string[]; removedValuesInUse: string[] }> {
    const ctx = RequestContext.system();
    const existing = new Set(
      (
        await this.db.query<{ indexname: string }>(
          ctx,
          `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE 'cf\\_%'`,
        )
      ).map((r) => r.indexname),
    );
    const wanted = this.plannedIndexes();
    return {
      create: wanted.filter((p) => !existing.has(p.name)),
      drop: [...existing].filter((name) => !wanted.some((p) => p.name === name)),
      removedValuesInUse: await this.valuesInUse(ctx),
    };
  }

  /** Brings the database in line with the config; throws listing records that block it. */
  async apply(): Promise<{ created: string[]; dropped: string[] }> {
    await this.tryComputedFields();
    const plan = await this.plan();
    if (plan.removedValuesInUse.length)
      throw new CrmConfigError('crm.config.yaml (customization)', plan.removedValuesInUse);
    const ctx = RequestContext.system();
    for (const name of plan.drop) await this.db.query(ctx, `DROP INDEX IF EXISTS ${name}`);
    for (const p of plan.create) await this.db.query(ctx, p.sql);
    return { created: plan.create.map((p) => p.name), dropped: plan.drop };
  }

  /** Runs each record type's read once (no rows) so a formula PostgreSQL cannot type stops the start. */
  private async tryComputedFields(): Promise<void> {
    const problems: string[] = [];
    for (const entity of this.registry.entities()) {
      const def = this.registry.get(entity);
      if (!(querySchemaOf(def).selects ?? []).length) continue;
      try {
        await this.db.query(
          RequestContext.system(),
          `SELECT ${recordSelect(def)} FROM ${def.table} ${def.alias} LIMIT 0`,
        );
      } catch (e) {
        problems.push(
          `${entity}: a formula or roll-up field does not compute: ${(e as Error).message}`,
        );
      }
    }
    if (problems.length) throw new CrmConfigError('crm.config.yaml (customization)', problems);
  }

  /** Picklist values (built-in or custom) that records use but the config no longer lists. */
  private async valuesInUse(ctx: RequestContext): Promise<string[]> {
    const problems: string[] = [];
    for (const entity of this.registry.entities()) {
      const def = this.registry.get(entity);
      const checks: { label: string; sql: string; values: readonly string[] }[] = [];
      for (const a of def.attributes.filter((x) => x.picklist)) {
        const values = this.config.customization[entity]?.picklists?.[a.name]
          ? this.config.customization[entity].picklists[a.name].map((o) => o.value)
          : picklistValues(entity, a);
        if (values) checks.push({ label: a.name, sql: a.column, values });
      }
      for (const f of this.config.customization[entity]?.fields ?? []) {
        if (f.type === 'picklist')
          checks.push({
            label: `customFields.${f.code}`,
            sql: `custom_fields->>'${f.code}'`,
            values: f.options!.map((o) => o.value),
          });
      }
      for (const c of checks) {
        const rows = await this.db.query<{ value: string; n: number; ids: string[] }>(
          ctx,
          `SELECT ${c.sql} AS value, count(*)::int AS n, (array_agg(id ORDER BY id))[1:5] AS ids FROM ${def.table}
            WHERE deleted_at IS NULL AND ${c.sql} IS NOT NULL AND NOT (${c.sql} = ANY($1::text[]))
              ${def.discriminator ? `AND ${def.discriminator.column} = $2` : ''} GROUP BY 1`,
          [c.values, ...(def.discriminator ? [def.discriminator.value] : [])],
        );
        for (const r of rows) {
          problems.push(
            `${entity}.${c.label}: value "${r.value}" was removed but ${r.n} record(s) use it, e.g. ${r.ids.join(', ')}`,
          );
        }
      }
    }
    for (const check of this.usageChecks) problems.push(...(await check(ctx)));
    return problems;
  }
}
