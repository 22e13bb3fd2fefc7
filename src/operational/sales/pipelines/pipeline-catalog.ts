import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CRM_CONFIG, CrmConfigError, type CrmConfig } from '#platform/config/index.js';
import type { LocalizedText } from '#platform/customization/index.js';
import { type Locale, AppError } from '#platform/http/index.js';
import type { OpenForecastCategory } from '../forecasts/forecasting.config.js';
import { DEFAULT_PIPELINE } from './default-pipeline.js';
import {
  PIPELINES_CONFIG,
  type PipelineConfig,
  type PipelineStageConfig,
  type StageKind,
} from './pipelines.config.js';

export interface Stage {
  key: string;
  label: LocalizedText;
  probability: number;
  kind: StageKind;
  requiredFields: readonly string[];
  /** Declared in the config; null lets the opportunity's probability decide. */
  forecastCategory: OpenForecastCategory | null;
  position: number;
}

export interface Pipeline {
  key: string;
  label: LocalizedText;
  isDefault: boolean;
  stages: readonly Stage[];
}

/** Opportunity fields a stage may require (the writable ones; custom fields come from config). */
export const STAGE_REQUIRABLE_FIELDS = [
  'name',
  'accountId',
  'primaryContactId',
  'contactRoles',
  'amount',
  'probability',
  'expectedCloseDate',
  'nextStep',
  'competitors',
  'lostReason',
  'description',
] as const;

export function localized(text: LocalizedText, locale: Locale): string {
  return (locale === 'id' ? text.id : undefined) ?? text.en;
}

/**
 * The pipelines of crm.config.yaml (or the built-in one), checked once at start and read by
 * opportunities for stage rules and by the board. Read-only at run time: a change is a
 * config edit and a restart.
 */
@Injectable()
export class PipelineCatalog implements OnModuleInit {
  private readonly pipelines: ReadonlyMap<string, Pipeline>;
  private readonly problems: string[];
  readonly defaultPipeline: Pipeline;

  constructor(@Inject(CRM_CONFIG) config: CrmConfig) {
    const configured = PIPELINES_CONFIG.read(config);
    const declared = configured.length ? configured : [DEFAULT_PIPELINE];
    const customCodes = new Set(
      (config.customization.opportunities?.fields ?? [])
        .filter((f) => f.type !== 'formula' && f.type !== 'rollup')
        .map((f) => `customFields.${f.code}`),
    );
    this.problems = declared.flatMap((p, i) => requiredFieldProblems(p, i, customCodes));
    const chosen = declared.find((p) => p.default) ?? declared[0];
    this.pipelines = new Map(
      declared.map((p) => [
        p.key,
        {
          key: p.key,
          label: p.label,
          isDefault: p === chosen,
          stages: p.stages.map((s, position) => ({
            key: s.key,
            label: s.label,
            probability: s.probability,
            kind: s.kind,
            requiredFields: s.requiredFields ?? [],
            forecastCategory: s.forecastCategory ?? null,
            position,
          })),
        },
      ]),
    );
    this.defaultPipeline = this.pipelines.get(chosen.key)!;
  }

  /** Thrown here, not in the constructor, so the start ends with the list of problems. */
  onModuleInit(): void {
    if (this.problems.length)
      throw new CrmConfigError('crm.config.yaml (pipelines)', this.problems);
  }

  all(): Pipeline[] {
    return [...this.pipelines.values()];
  }

  find(key: unknown): Pipeline | undefined {
    return typeof key === 'string' ? this.pipelines.get(key) : undefined;
  }

  /** The pipeline, or 404 as for any unknown resource. */
  get(key: string): Pipeline {
    const pipeline = this.find(key);
    if (!pipeline) throw AppError.notFound('pipeline', key.slice(0, 100));
    return pipeline;
  }

  stage(pipelineKey: unknown, stageKey: unknown): Stage | undefined {
    return this.find(pipelineKey)?.stages.find((s) => s.key === stageKey);
  }

  /** Where a new opportunity starts: the first open stage. */
  firstOpenStage(pipeline: Pipeline): Stage {
    return pipeline.stages.find((s) => s.kind === 'open')!;
  }
}

function requiredFieldProblems(
  p: PipelineConfig,
  index: number,
  customCodes: ReadonlySet<string>,
): string[] {
  const known = (f: string) =>
    (STAGE_REQUIRABLE_FIELDS as readonly string[]).includes(f) || customCodes.has(f);
  return p.stages.flatMap((s: PipelineStageConfig) =>
    (s.requiredFields ?? [])
      .filter((f) => !known(f))
      .map(
        (f) =>
          `/pipelines/${index} (${p.key}): stage "${s.key}" requires unknown field "${f}" (known: ${STAGE_REQUIRABLE_FIELDS.join(', ')}, customFields.<code>)`,
      ),
  );
}
