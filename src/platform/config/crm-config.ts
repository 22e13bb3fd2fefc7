import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import {
  CUSTOMIZATION_SCHEMA,
  OBJECTS_SCHEMA,
  type CustomizationConfig,
  type CustomObjectConfig,
} from '#platform/customization/customization.schema.js';
import type { ConfigComposition } from './config-section.js';

/**
 * The platform's part of the admin config file (crm.config.yaml): organization settings, API
 * limits, custom fields, picklists, rules, custom objects and how long imports are kept. The
 * modules' sections (see ConfigSection) are composed in beside it, so one file and one pass
 * report every problem; the meaning of the customization is checked by CustomizationService
 * once the record types are known.
 */
export interface PlatformSettings {
  readonly version: 1;
  readonly organization: {
    readonly name: string;
    readonly defaultCurrency: string;
    readonly defaultLocale: 'en' | 'id';
    readonly timeZone: string;
  };
  readonly security: {
    readonly passwordMinLength: number;
    readonly allowApiKeys: boolean;
  };
  readonly api: {
    readonly defaultPageSize: number;
    readonly maxPageSize: number;
    readonly maxBulkItems: number;
  };
  /** Custom fields, picklist values and rules per entity (see crm.config.example.yaml). */
  readonly customization: CustomizationConfig;
  /** Record types declared by the admin; their fields are folded into `customization`. */
  readonly objects: readonly CustomObjectConfig[];
  readonly imports: {
    /** Days a finished CSV import is kept (with its row errors); then it is deleted. */
    readonly retentionDays: number;
  };
}

export interface CrmConfig extends PlatformSettings {
  /** The modules' sections by key; each module reads its own with `section.read(config)`. */
  readonly sections: Readonly<Record<string, unknown>>;
}

export const DEFAULT_PLATFORM_SETTINGS: PlatformSettings = {
  version: 1,
  organization: { name: 'Relasi', defaultCurrency: 'IDR', defaultLocale: 'en', timeZone: 'UTC' },
  security: { passwordMinLength: 12, allowApiKeys: true },
  api: { defaultPageSize: 50, maxPageSize: 500, maxBulkItems: 1000 },
  customization: {},
  objects: [],
  imports: { retentionDays: 30 },
};

const PLATFORM_SCHEMA_PROPERTIES = {
  version: { const: 1 },
  organization: {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200 },
      defaultCurrency: { type: 'string', pattern: '^[A-Z]{3}$' },
      defaultLocale: { enum: ['en', 'id'] },
      timeZone: { type: 'string', minLength: 1, maxLength: 64 },
    },
  },
  security: {
    type: 'object',
    additionalProperties: false,
    properties: {
      passwordMinLength: { type: 'integer', minimum: 8, maximum: 128 },
      allowApiKeys: { type: 'boolean' },
    },
  },
  api: {
    type: 'object',
    additionalProperties: false,
    properties: {
      defaultPageSize: { type: 'integer', minimum: 1, maximum: 500 },
      maxPageSize: { type: 'integer', minimum: 1, maximum: 500 },
      maxBulkItems: { type: 'integer', minimum: 1, maximum: 1000 },
    },
  },
  customization: CUSTOMIZATION_SCHEMA,
  objects: OBJECTS_SCHEMA,
  imports: {
    type: 'object',
    additionalProperties: false,
    properties: { retentionDays: { type: 'integer', minimum: 1, maximum: 3650 } },
  },
} as const;

export class CrmConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid config file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validators = new WeakMap<ConfigComposition, ValidateFunction>();

/** One schema for the whole file: the platform's keys and every module's section. */
function validatorOf(modules: ConfigComposition): ValidateFunction {
  let validate = validators.get(modules);
  if (validate) return validate;
  const properties: Record<string, unknown> = { ...PLATFORM_SCHEMA_PROPERTIES };
  for (const section of modules.sections) {
    if (Object.hasOwn(properties, section.key))
      throw new Error(`config section "${section.key}" is declared twice`);
    properties[section.key] = section.schema;
  }
  validate = ajv.compile({
    type: 'object',
    additionalProperties: false,
    required: ['version'],
    properties,
  });
  validators.set(modules, validate);
  return validate;
}

function describe(error: ErrorObject): string {
  const at = error.instancePath || '(root)';
  if (error.keyword === 'additionalProperties') {
    return `${at}: unknown key "${String(error.params.additionalProperty)}"`;
  }
  return `${at}: ${error.message ?? 'is invalid'}`;
}

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function parseCrmConfig(text: string, file: string, modules: ConfigComposition): CrmConfig {
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (e) {
    throw new CrmConfigError(file, [`not valid YAML: ${(e as Error).message}`]);
  }
  const validate = validatorOf(modules);
  if (!validate(raw)) {
    throw new CrmConfigError(file, (validate.errors ?? []).map(describe));
  }
  const given = raw as Record<string, unknown> &
    Partial<{ [K in keyof PlatformSettings]: Partial<PlatformSettings[K]> }>;
  const defaults = DEFAULT_PLATFORM_SETTINGS;
  const objects = (given.objects ?? []) as CustomObjectConfig[];
  const settings: PlatformSettings = {
    version: 1,
    organization: { ...defaults.organization, ...given.organization },
    security: { ...defaults.security, ...given.security },
    api: { ...defaults.api, ...given.api },
    customization: withObjectFields((given.customization ?? {}) as CustomizationConfig, objects),
    objects,
    imports: { ...defaults.imports, ...given.imports },
  };
  const sections: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const section of modules.sections) {
    const value = section.resolve(given[section.key], settings);
    sections[section.key] = value;
    problems.push(...(section.problems?.(value, settings) ?? []));
  }
  problems.push(...platformProblems(settings, modules.reservedPaths));
  if (problems.length > 0) throw new CrmConfigError(file, problems);
  return deepFreeze({ ...settings, sections });
}

function platformProblems(config: PlatformSettings, modulePaths: readonly string[]): string[] {
  const problems: string[] = [];
  if (!isValidTimeZone(config.organization.timeZone)) {
    problems.push(`/organization/timeZone: unknown time zone "${config.organization.timeZone}"`);
  }
  const reserved = new Set([...PLATFORM_PATHS, ...modulePaths]);
  const seen = new Set<string>();
  for (const [i, o] of config.objects.entries()) {
    if (reserved.has(o.entity))
      problems.push(`/objects/${i}/entity: "${o.entity}" is a built-in path`);
    if (seen.has(o.entity)) problems.push(`/objects/${i}/entity: "${o.entity}" is declared twice`);
    seen.add(o.entity);
  }
  if (config.api.defaultPageSize > config.api.maxPageSize) {
    problems.push('/api/defaultPageSize: must not exceed api.maxPageSize');
  }
  return problems;
}

/** Reads CRM_CONFIG, or ./crm.config.yaml when present; without either the defaults apply. */
export function loadCrmConfig(path: string | null, modules: ConfigComposition): CrmConfig {
  const file = path ? resolve(path) : resolve('crm.config.yaml');
  if (!existsSync(file)) {
    if (path) throw new CrmConfigError(file, ['file does not exist']);
    return parseCrmConfig('version: 1\n', '(defaults)', modules);
  }
  return parseCrmConfig(readFileSync(file, 'utf8'), file, modules);
}

/** An object's own fields become the custom fields of its entity, beside any picklists or rules. */
function withObjectFields(
  customization: CustomizationConfig,
  objects: CustomObjectConfig[],
): CustomizationConfig {
  const merged: CustomizationConfig = { ...customization };
  for (const o of objects) {
    const own = merged[o.entity] ?? {};
    merged[o.entity] = { ...own, fields: [...(o.fields ?? []), ...(own.fields ?? [])] };
  }
  return merged;
}

/** API paths the platform serves; the modules add theirs through ConfigComposition. */
const PLATFORM_PATHS = [
  'users',
  'teams',
  'roles',
  'auth',
  'api-keys',
  'webhooks',
  'jobs',
  'imports',
  'exports',
  'exchange-rates',
  'health',
  'docs',
  'metrics',
];

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
