import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '#platform/auth/index.js';
import { Ctx, type RequestContext } from '#platform/context/index.js';
import { ApiModuleProblem, ApiProblems } from '#platform/http/index.js';
import { CsatService } from './csat.service.js';
import { AnswerCsatDto, CsatReportDto, CsatSurveyDto } from './dto/csat.dto.js';

const LINK = {
  name: 'link',
  description: 'The signed token of the survey link',
  schema: { type: 'string', maxLength: 200 },
} as const;

/** The survey page's API: whoever holds the link answers it, once. */
@ApiTags('Cases')
@Controller('api/v1/public/csat')
export class PublicCsatController {
  constructor(private readonly csat: CsatService) {}

  @Public()
  @Get(':link')
  @ApiOperation({
    summary: 'The survey behind a link',
    description: 'An unknown link answers 404 `csat_link_invalid`.',
    operationId: 'getCsatSurvey',
  })
  @ApiParam(LINK)
  @ApiOkResponse({ type: CsatSurveyDto })
  @ApiProblems(400, 404)
  read(@Ctx() ctx: RequestContext, @Param('link') link: string): Promise<CsatSurveyDto> {
    return this.csat.read(ctx, link);
  }

  @Public()
  @Post(':link')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Answer a survey: a score of 1 to 5 and a comment',
    description:
      'Once: a second answer is 409 `csat_already_answered`; after the link expired 410 `csat_link_expired`. ' +
      'Emits `case.csat_answered`.',
    operationId: 'answerCsatSurvey',
  })
  @ApiParam(LINK)
  @ApiNoContentResponse()
  @ApiProblems(400, 404, 409)
  @ApiModuleProblem(410, {
    code: 'csat_link_expired',
    title: 'Survey closed',
    detail: 'The survey could be answered until 2026-12-01T00:00:00.000Z.',
  })
  answer(
    @Ctx() ctx: RequestContext,
    @Param('link') link: string,
    @Body() body: AnswerCsatDto,
  ): Promise<void> {
    return this.csat.answer(ctx, link, body);
  }
}

@ApiTags('Cases')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/cases/reports')
export class CsatReportController {
  constructor(private readonly csat: CsatService) {}

  @Get('csat')
  @ApiOperation({
    summary: 'Customer satisfaction: answers, average, distribution, by agent and queue',
    description:
      'Surveys answered from `from` to `to` (days inclusive, in the organization’s time zone) on cases the ' +
      'caller may read; `heldBack` counts invitations the marketing gate held back in the period.',
    operationId: 'csatReport',
  })
  @ApiQuery({
    name: 'from',
    required: true,
    schema: { type: 'string', format: 'date', maxLength: 10 },
  })
  @ApiQuery({
    name: 'to',
    required: true,
    schema: { type: 'string', format: 'date', maxLength: 10 },
  })
  @ApiOkResponse({ type: CsatReportDto })
  @ApiProblems(400, 401, 403)
  report(
    @Ctx() ctx: RequestContext,
    @Query() query: Record<string, unknown>,
  ): Promise<CsatReportDto> {
    return this.csat.report(ctx, query);
  }
}
