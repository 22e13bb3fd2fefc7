import { defineConfigSection } from '#platform/config/index.js';
import { LOCALIZED_TEXT_SCHEMA, type LocalizedText } from '#platform/customization/index.js';
import {
  OPEN_FORECAST_CATEGORIES,
  type OpenForecastCategory,
} from '../forecasts/forecasting.config.js';

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

const CONFIG_KEY = '^[a-z][a-z0-9_]{0,49}$';

/** How many pipelines, stages per pipeline and required fields per stage a configuration may declare. */
export const PIPELINE_LIMITS = { pipelines: 50, stages: 50, requiredFields: 50, fieldLength: 100 };

/**
 * The `pipelines` section: sales pipelines with their ordered stages; empty means the built-in
 * default pipeline. Whether `requiredFields` name real opportunity fields is checked by
 * PipelineCatalog, which knows them; whether a dropped stage still holds opportunities, by
 * PipelineUsageCheck.
 */
export const PIPELINES_CONFIG = defineConfigSection<readonly PipelineConfig[]>({
  key: 'pipelines',
  schema: {
    type: 'array',
    maxItems: PIPELINE_LIMITS.pipelines,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['key', 'label', 'stages'],
      properties: {
        key: { type: 'string', pattern: CONFIG_KEY },
        label: LOCALIZED_TEXT_SCHEMA,
        default: { type: 'boolean' },
        stages: {
          type: 'array',
          minItems: 2,
          maxItems: PIPELINE_LIMITS.stages,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['key', 'label', 'probability', 'kind'],
            properties: {
              key: { type: 'string', pattern: CONFIG_KEY },
              label: LOCALIZED_TEXT_SCHEMA,
              probability: { type: 'integer', minimum: 0, maximum: 100 },
              kind: { enum: ['open', 'won', 'lost'] },
              requiredFields: {
                type: 'array',
                maxItems: PIPELINE_LIMITS.requiredFields,
                items: { type: 'string', minLength: 1, maxLength: PIPELINE_LIMITS.fieldLength },
              },
              forecastCategory: { enum: OPEN_FORECAST_CATEGORIES },
            },
          },
        },
      },
    },
  },
  resolve: (given) => (given ?? []) as PipelineConfig[],
  problems: pipelineProblems,
});

/**
 * Shape rules JSON Schema cannot say: unique keys, one default, and a closing pair (a won and
 * a lost stage) after at least one open stage.
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
