import { Module } from '@nestjs/common';
import { SegmentFactRegistry } from './segment-fact-registry.js';
import { SegmentMembership } from './segment-membership.js';
import { SegmentRefreshJob } from './segment-refresh.job.js';
import { SegmentRules } from './segment-rules.js';
import { SegmentActionsController, SegmentsController } from './segments.controller.js';
import { SegmentsService } from './segments.service.js';

/** Segments of contacts: rules, static lists, composites, previews and refreshed members. */
@Module({
  controllers: [SegmentActionsController, SegmentsController],
  providers: [
    SegmentFactRegistry,
    SegmentRules,
    SegmentMembership,
    SegmentsService,
    SegmentRefreshJob,
  ],
  exports: [SegmentsService, SegmentFactRegistry, SegmentMembership, SegmentRules],
})
export class SegmentsModule {}
