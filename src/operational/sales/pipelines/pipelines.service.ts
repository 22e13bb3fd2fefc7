import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import type { PipelineDto } from './dto/pipeline.dto.js';
import { localized, PipelineCatalog, type Pipeline } from './pipeline-catalog.js';

/** Pipelines as the API shows them: labels in the caller's language; any signed-in caller may read them. */
@Injectable()
export class PipelinesService {
  constructor(private readonly catalog: PipelineCatalog) {}

  list(ctx: RequestContext): PipelineDto[] {
    return this.catalog.all().map((p) => toPipelineDto(ctx, p));
  }

  get(ctx: RequestContext, key: string): PipelineDto {
    return toPipelineDto(ctx, this.catalog.get(key));
  }
}

export function toPipelineDto(ctx: RequestContext, p: Pipeline): PipelineDto {
  return {
    key: p.key,
    label: localized(p.label, ctx.locale),
    default: p.isDefault,
    stages: p.stages.map((s) => ({
      key: s.key,
      label: localized(s.label, ctx.locale),
      probability: s.probability,
      kind: s.kind,
      requiredFields: [...s.requiredFields],
      forecastCategory: s.forecastCategory,
      position: s.position,
    })),
  };
}
