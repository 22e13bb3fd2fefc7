import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ContactDto } from '#operational/customers/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiListQuery, ApiProblems, UuidParamPipe } from '#platform/http/index.js';
import { pageLimits, parseListQuery } from '#platform/query/index.js';
import { ListMetaDto, recordController } from '#platform/records/index.js';
import {
  CreateSegmentDto,
  SegmentDto,
  SegmentMembersChangeDto,
  SegmentMembersChangedDto,
  SegmentPreviewDto,
  SegmentPreviewRequestDto,
  SegmentRefreshDto,
  UpdateSegmentDto,
} from './dto/segment.dto.js';
import { SegmentsService } from './segments.service.js';

export const SegmentsController = recordController({
  path: 'segments',
  tag: 'Segments',
  label: 'segment',
  service: SegmentsService,
  createDto: CreateSegmentDto,
  updateDto: UpdateSegmentDto,
  responseDto: SegmentDto,
  filterExample: 'filter[type][eq]=dynamic',
});

@ApiTags('Segments')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@ApiExtraModels(ContactDto, ListMetaDto)
@Controller('api/v1/segments')
export class SegmentActionsController {
  constructor(
    private readonly segments: SegmentsService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Count the contacts a rule selects, with a sample of 20, before saving it',
    description:
      'Counts among the contacts you may read; a related account you may not read counts as missing. ' +
      'A rule naming an unknown field or fact, an operator the field does not take or a value of the wrong type ' +
      'answers 422 `segment_rule_invalid` with the JSON pointer of each bad node.',
    operationId: 'preview_segments',
  })
  @ApiOkResponse({ type: SegmentPreviewDto })
  @ApiProblems(400, 401, 403, 422)
  preview(@Ctx() ctx: RequestContext, @Body() body: SegmentPreviewRequestDto) {
    return this.segments.preview(ctx, body.rules);
  }

  @Post(':id/refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: "Compute a segment's members again",
    description:
      'Dynamic and composite segments: the members are made to match the definition now, with `segment.entered` ' +
      'and `segment.left` for each contact that came or went and `segment.refreshed`. A static segment is recounted. ' +
      'The `campaigns.segmentRefreshSchedule` run does the same for every segment. Needs update on the segment.',
    operationId: 'refresh_segments',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: SegmentRefreshDto })
  @ApiProblems(400, 401, 403, 404, 422)
  refresh(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
    return this.segments.refresh(ctx, id);
  }

  @Get(':id/members')
  @ApiOperation({
    summary: "A segment's members as of its last refresh",
    description:
      'Contacts, listed as `GET /contacts` lists them (filter, sort, cursor, fields, count) and limited to those you may read.',
    operationId: 'list_members_segments',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiListQuery({ filter: 'filter[lastName][startsWith]=Wi', fields: 'id,email', include: true })
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['data', 'meta'],
      properties: {
        data: { type: 'array', maxItems: 500, items: { $ref: getSchemaPath(ContactDto) } },
        meta: { $ref: getSchemaPath(ListMetaDto) },
      },
    },
  })
  @ApiProblems(400, 401, 403, 404)
  members(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.segments.members(ctx, id, parseListQuery(query, pageLimits(this.config.api)));
  }

  @Post(':id/members')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Add up to 1,000 contacts to a static segment',
    description:
      'Contacts in it already are left as they are; each one added gets `segment.entered`. Every contact must be one ' +
      'you may read. A dynamic or composite segment answers 409 `segment_not_static`.',
    operationId: 'add_members_segments',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the segment; stale: 412' })
  @ApiOkResponse({ type: SegmentMembersChangedDto })
  @ApiProblems(400, 401, 403, 404, 409, 412)
  add(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: SegmentMembersChangeDto,
    @Headers('if-match') ifMatch: string | undefined,
  ) {
    return this.segments.changeMembers(ctx, id, body.contactIds, 'add', ifMatch);
  }

  @Delete(':id/members')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Remove up to 1,000 contacts from a static segment',
    description: 'Each contact that was in it gets `segment.left`.',
    operationId: 'remove_members_segments',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the segment; stale: 412' })
  @ApiOkResponse({ type: SegmentMembersChangedDto })
  @ApiProblems(400, 401, 403, 404, 409, 412)
  remove(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: SegmentMembersChangeDto,
    @Headers('if-match') ifMatch: string | undefined,
  ) {
    return this.segments.changeMembers(ctx, id, body.contactIds, 'remove', ifMatch);
  }
}
