import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { isCurrencyCode } from '#platform/currency/currency-codes.js';
import {
  CUSTOMIZATION_SCHEMA,
  OBJECTS_SCHEMA,
  type CustomizationConfig,
  type CustomObjectConfig,
  type LocalizedText,
} from '#platform/customization/customization.schema.js';
import {
  DEFAULT_LEAD_ASSIGNMENT,
  DEFAULT_LEAD_SCORING,
  LEAD_ASSIGNMENT_SCHEMA,
  LEAD_SCORING_SCHEMA,
  type LeadAssignmentConfig,
  type LeadScoringConfig,
} from './lead-rules-config.js';

/**
 * The admin config file (crm.config.yaml): organization settings, API limits, custom fields,
 * picklists, rules, custom objects, sales pipelines, lead conversion, lead scoring, lead
 * assignment, forecasting and how long imports are kept. Validated against a schema here; the meaning of the
 * customization is checked by CustomizationService, and that of the lead rules by the sales
 * module, once the record types are known.
 */
export interface CrmConfig {
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
  /** Sales pipelines with their ordered stages; empty means the built-in default pipeline. */
  readonly pipelines: readonly PipelineConfig[];
  /** What a lead's conversion carries over to the records it becomes. */
  readonly leadConversion: LeadConversionConfig;
  /** Rules that score leads, and when every open lead is scored again. */
  readonly leadScoring: LeadScoringConfig;
  /** Ordered rules that choose the owner of a new (or re-assigned) lead. */
  readonly leadAssignment: LeadAssignmentConfig;
  /** The currency forecasts report in and the probabilities that place opportunities in categories. */
  readonly forecasting: ForecastingConfig;
  readonly imports: {
    /** Days a finished CSV import is kept (with its row errors); then it is deleted. */
    readonly retentionDays: number;
  };
}

/** Forecast categories an open opportunity can be in (won ones are `closed`, lost ones `omitted`). */
export const OPEN_FORECAST_CATEGORIES = ['pipeline', 'best_case', 'commit', 'omitted'] as const;
export type OpenForecastCategory = (typeof OPEN_FORECAST_CATEGORIES)[number];

export interface ForecastingConfig {
  /** ISO 4217 code every forecast amount is converted to; defaults to organization.defaultCurrency. */
  readonly reportingCurrency: string;
  /** An open opportunity of at least this probability is `commit`, unless its stage says otherwise. */
  readonly commitProbability: number;
  /** An open opportunity of at least this probability (below commit) is `best_case`. */
  readonly bestCaseProbability: number;
}

export type StageKind = 'open' | 'won' | 'lost';

export interface PipelineStageConfig {
  readonly key: string;
  readonly label: LocalizedText;
  /** Default probability (0-100) an opportunity takes when it enters the stage. */
  readonly probability: number;
  readonly kind: StageKind;
  /** Opportunity fields (`amount`, `customFields.code`, …) that must be set to enter the stage. */
  readonly requiredFields?: readonly string[];
  /** Forecast category of the stage's opportunities (open stages only); otherwise their probability decides. */
  readonly forecastCategory?: OpenForecastCategory;
}

export interface PipelineConfig {
  readonly key: string;
  readonly label: LocalizedText;
  /** The pipeline new opportunities join when they name none; the first one otherwise. */
  readonly default?: boolean;
  readonly stages: readonly PipelineStageConfig[];
}

export interface LeadConversionConfig {
  /** Per target (accounts, contacts, opportunities): lead custom field code → target code. */
  readonly customFieldMap: {
    readonly accounts?: Readonly<Record<string, string>>;
    readonly contacts?: Readonly<Record<string, string>>;
    readonly opportunities?: Readonly<Record<string, string>>;
  };
}

export const DEFAULT_CRM_CONFIG: CrmConfig = {
  version: 1,
  organization: { name: 'Relasi', defaultCurrency: 'IDR', defaultLocale: 'en', timeZone: 'UTC' },
  security: { passwordMinLength: 12, allowApiKeys: true },
  api: { defaultPageSize: 50, maxPageSize: 500, maxBulkItems: 1000 },
  customization: {},
  objects: [],
  pipelines: [],
  leadConversion: { customFieldMap: {} },
  leadScoring: DEFAULT_LEAD_SCORING,
  leadAssignment: DEFAULT_LEAD_ASSIGNMENT,
  forecasting: { reportingCurrency: 'IDR', commitProbability: 90, bestCaseProbability: 50 },
  imports: { retentionDays: 30 },
};

const CONFIG_KEY = '^[a-z][a-z0-9_]{0,49}$';
const localizedLabel = {
  type: 'object',
  additionalProperties: false,
  required: ['en'],
  properties: {
    en: { type: 'string', minLength: 1, maxLength: 200 },
    id: { type: 'string', minLength: 1, maxLength: 200 },
  },
};
const PIPELINES_SCHEMA = {
  type: 'array',
  maxItems: 50,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['key', 'label', 'stages'],
    properties: {
      key: { type: 'string', pattern: CONFIG_KEY },
      label: localizedLabel,
      default: { type: 'boolean' },
      stages: {
        type: 'array',
        minItems: 2,
        maxItems: 50,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['key', 'label', 'probability', 'kind'],
          properties: {
            key: { type: 'string', pattern: CONFIG_KEY },
            label: localizedLabel,
            probability: { type: 'integer', minimum: 0, maximum: 100 },
            kind: { enum: ['open', 'won', 'lost'] },
            requiredFields: {
              type: 'array',
              maxItems: 50,
              items: { type: 'string', minLength: 1, maxLength: 100 },
            },
            forecastCategory: { enum: OPEN_FORECAST_CATEGORIES },
          },
        },
      },
    },
  },
};
const FIELD_MAP = {
  type: 'object',
  maxProperties: 200,
  propertyNames: { pattern: '^[a-z][A-Za-z0-9]{0,39}$' },
  additionalProperties: { type: 'string', pattern: '^[a-z][A-Za-z0-9]{0,39}$' },
};
const LEAD_CONVERSION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    customFieldMap: {
      type: 'object',
      additionalProperties: false,
      properties: { accounts: FIELD_MAP, contacts: FIELD_MAP, opportunities: FIELD_MAP },
    },
  },
};

const FORECASTING_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    reportingCurrency: { type: 'string', pattern: '^[A-Z]{3}$' },
    commitProbability: { type: 'integer', minimum: 0, maximum: 100 },
    bestCaseProbability: { type: 'integer', minimum: 0, maximum: 100 },
  },
};

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  properties: {
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
    pipelines: PIPELINES_SCHEMA,
    leadConversion: LEAD_CONVERSION_SCHEMA,
    leadScoring: LEAD_SCORING_SCHEMA,
    leadAssignment: LEAD_ASSIGNMENT_SCHEMA,
    forecasting: FORECASTING_SCHEMA,
    imports: {
      type: 'object',
      additionalProperties: false,
      properties: { retentionDays: { type: 'integer', minimum: 1, maximum: 3650 } },
    },
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
const validate = ajv.compile(schema);

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

export function parseCrmConfig(text: string, file: string): CrmConfig {
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (e) {
    throw new CrmConfigError(file, [`not valid YAML: ${(e as Error).message}`]);
  }
  if (!validate(raw)) {
    throw new CrmConfigError(file, (validate.errors ?? []).map(describe));
  }
  const given = raw as Partial<{ [K in keyof CrmConfig]: Partial<CrmConfig[K]> }>;
  const organization = { ...DEFAULT_CRM_CONFIG.organization, ...given.organization };
  const config: CrmConfig = {
    version: 1,
    organization,
    security: { ...DEFAULT_CRM_CONFIG.security, ...given.security },
    api: { ...DEFAULT_CRM_CONFIG.api, ...given.api },
    customization: withObjectFields(
      (given.customization ?? {}) as CustomizationConfig,
      (given.objects ?? []) as CustomObjectConfig[],
    ),
    objects: (given.objects ?? []) as CustomObjectConfig[],
    pipelines: (given.pipelines ?? []) as PipelineConfig[],
    leadConversion: {
      customFieldMap: {
        ...(given.leadConversion as LeadConversionConfig | undefined)?.customFieldMap,
      },
    },
    leadScoring: { ...DEFAULT_LEAD_SCORING, ...given.leadScoring },
    leadAssignment: { ...DEFAULT_LEAD_ASSIGNMENT, ...given.leadAssignment },
    forecasting: {
      ...DEFAULT_CRM_CONFIG.forecasting,
      reportingCurrency: organization.defaultCurrency,
      ...given.forecasting,
    },
    imports: { ...DEFAULT_CRM_CONFIG.imports, ...given.imports },
  };
  const problems: string[] = [
    ...pipelineProblems(config.pipelines),
    ...forecastingProblems(config.forecasting),
  ];
  if (!isValidTimeZone(config.organization.timeZone)) {
    problems.push(`/organization/timeZone: unknown time zone "${config.organization.timeZone}"`);
  }
  const seen = new Set<string>();
  for (const [i, o] of config.objects.entries()) {
    if (RESERVED_PATHS.has(o.entity))
      problems.push(`/objects/${i}/entity: "${o.entity}" is a built-in path`);
    if (seen.has(o.entity)) problems.push(`/objects/${i}/entity: "${o.entity}" is declared twice`);
    seen.add(o.entity);
  }
  if (config.api.defaultPageSize > config.api.maxPageSize) {
    problems.push('/api/defaultPageSize: must not exceed api.maxPageSize');
  }
  if (problems.length > 0) throw new CrmConfigError(file, problems);
  return deepFreeze(config);
}

/**
 * Shape rules JSON Schema cannot say: unique keys, one default, and a closing pair (a won and
 * a lost stage) after at least one open stage. Whether `requiredFields` name real opportunity
 * fields is checked by the sales module, which knows them.
 */
function pipelineProblems(pipelines: readonly PipelineConfig[]): string[] {
  const problems: string[] = [];
  const keys = new Set<string>();
  pipelines.forEach((p, i) => {
    const at = `/pipelines/${i} (${p.key})`;
    if (keys.has(p.key)) problems.push(`${at}: key "${p.key}" is declared twice`);
    keys.add(p.key);
    const stageKeys = new Set<string>();
    for (const s of p.stages) {
      if (stageKeys.has(s.key)) problems.push(`${at}: stage "${s.key}" is declared twice`);
      stageKeys.add(s.key);
      if (new Set(s.requiredFields ?? []).size !== (s.requiredFields ?? []).length)
        problems.push(`${at}: stage "${s.key}" lists a required field twice`);
      // Won opportunities are always `closed` and lost ones `omitted`: a category there would mislead.
      if (s.forecastCategory && s.kind !== 'open')
        problems.push(
          `${at}: stage "${s.key}" is ${s.kind}; only open stages take a forecastCategory`,
        );
    }
    for (const kind of ['open', 'won', 'lost'] as const)
      if (!p.stages.some((s) => s.kind === kind))
        problems.push(`${at}: needs at least one ${kind} stage`);
  });
  if (pipelines.filter((p) => p.default).length > 1)
    problems.push('/pipelines: only one pipeline may be the default');
  return problems;
}

function forecastingProblems(f: ForecastingConfig): string[] {
  const problems: string[] = [];
  if (!isCurrencyCode(f.reportingCurrency))
    problems.push(
      `/forecasting/reportingCurrency: "${f.reportingCurrency}" is not an ISO 4217 currency code`,
    );
  if (f.bestCaseProbability > f.commitProbability)
    problems.push(
      '/forecasting/bestCaseProbability: must not exceed forecasting.commitProbability',
    );
  return problems;
}

/** Reads CRM_CONFIG, or ./crm.config.yaml when present; without either the defaults apply. */
export function loadCrmConfig(path: string | null): CrmConfig {
  const file = path ? resolve(path) : resolve('crm.config.yaml');
  if (!existsSync(file)) {
    if (path) throw new CrmConfigError(file, ['file does not exist']);
    return DEFAULT_CRM_CONFIG;
  }
  return parseCrmConfig(readFileSync(file, 'utf8'), file);
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

/** API paths of built-in record types and endpoints, present and planned; objects may not take them. */
const RESERVED_PATHS = new Set([
  'accounts',
  'contacts',
  'leads',
  'opportunities',
  'pipelines',
  'activities',
  'products',
  'price-books',
  'quotes',
  'orders',
  'campaigns',
  'segments',
  'cases',
  'queues',
  'articles',
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
  'reports',
  'messages',
  'partners',
  'health',
  'docs',
  'metrics',
]);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
