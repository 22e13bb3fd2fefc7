import { Inject, Injectable } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { PipelineCatalog } from '../pipelines/pipeline-catalog.js';
import type { StageKind } from '../pipelines/pipelines.config.js';
import {
  FORECASTING_CONFIG,
  OPEN_FORECAST_CATEGORIES,
  type ForecastingConfig,
  type OpenForecastCategory,
} from './forecasting.config.js';

/** Every category an opportunity can be in; `closed` is reached only by winning. */
export const FORECAST_CATEGORIES = [...OPEN_FORECAST_CATEGORIES, 'closed'] as const;
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number];

/** What an owner may set on an open opportunity instead of what its stage and probability say. */
export const FORECAST_CATEGORY_OVERRIDES = OPEN_FORECAST_CATEGORIES;

export interface CategoryInput {
  kind: StageKind;
  /** The stage's own category from the config, if it declares one. */
  stageCategory: OpenForecastCategory | null;
  probability: number;
  override: OpenForecastCategory | null;
}

/**
 * Won is `closed` and lost is `omitted`, whatever else is set: a closed deal is no longer a
 * judgement call. An open one takes its owner's override, else its stage's category, else the
 * category its probability reaches.
 */
export function forecastCategoryOf(
  o: CategoryInput,
  thresholds: Pick<ForecastingConfig, 'commitProbability' | 'bestCaseProbability'>,
): ForecastCategory {
  if (o.kind === 'won') return 'closed';
  if (o.kind === 'lost') return 'omitted';
  if (o.override) return o.override;
  if (o.stageCategory) return o.stageCategory;
  if (o.probability >= thresholds.commitProbability) return 'commit';
  if (o.probability >= thresholds.bestCaseProbability) return 'best_case';
  return 'pipeline';
}

/** The category rule with the config's pipelines and thresholds, for opportunities as the API holds them. */
@Injectable()
export class ForecastCategoryRule {
  constructor(
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
    private readonly catalog: PipelineCatalog,
  ) {}

  of(r: Record<string, unknown>): ForecastCategory {
    const stage = this.catalog.stage(r.pipeline, r.stage);
    return forecastCategoryOf(
      {
        kind: stage?.kind ?? ((r.status as StageKind | undefined) || 'open'),
        stageCategory: stage?.forecastCategory ?? null,
        probability: typeof r.probability === 'number' ? r.probability : 0,
        override: (r.forecastCategoryOverride as OpenForecastCategory | null | undefined) ?? null,
      },
      FORECASTING_CONFIG.read(this.config),
    );
  }
}
