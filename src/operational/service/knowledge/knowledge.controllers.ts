import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
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
import { ApiProblems, UuidParamPipe } from '#platform/http/index.js';
import { recordController } from '#platform/records/index.js';
import { ARTICLE_LANGUAGES } from './article-status.js';
import {
  ArticleCaseListDto,
  ArticleVoteDto,
  ArticleVoteResultDto,
  CreateKnowledgeArticleDto,
  KnowledgeArticleDto,
  UpdateKnowledgeArticleDto,
} from './dto/article.dto.js';
import { ArticleSearchPageDto, PublicArticleDto, PublicArticlePageDto } from './dto/search.dto.js';
import { KnowledgeArticlesService } from './knowledge-articles.service.js';
import { SEARCH_CANDIDATES } from './knowledge-search.repository.js';
import { KnowledgeSearchService } from './knowledge-search.service.js';

export const KnowledgeArticlesController = recordController({
  path: 'knowledge-articles',
  tag: 'Knowledge base',
  label: 'knowledge article',
  service: KnowledgeArticlesService,
  createDto: CreateKnowledgeArticleDto,
  updateDto: UpdateKnowledgeArticleDto,
  responseDto: KnowledgeArticleDto,
  filterExample: 'filter[status][eq]=published&filter[category][in]=how_to,troubleshooting',
});

const LANG_QUERY = {
  name: 'lang',
  required: false,
  enum: ARTICLE_LANGUAGES,
  description: 'Language searched and shown; defaults to the Accept-Language (en or id)',
} as const;
const PAGE_QUERIES = [
  {
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  },
  { name: 'cursor', required: false, schema: { type: 'string', maxLength: 100 } },
] as const;
const SEARCH_SYNTAX =
  'Web search syntax (`websearch_to_tsquery`): words must all appear, "quoted phrases" in order, `or` between ' +
  'alternatives, `-word` excludes. English words are stemmed ("resetting" finds "reset"); Indonesian words are ' +
  'matched as written, accents ignored, common function words (yang, dan, di …) skipped.';

@ApiTags('Knowledge base')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('api/v1/knowledge-articles')
export class KnowledgeArticleActionsController {
  constructor(
    private readonly articles: KnowledgeArticlesService,
    private readonly searching: KnowledgeSearchService,
  ) {}

  @Get('search')
  @ApiOperation({
    summary: 'Full-text search of the articles the caller may read, best match first',
    description:
      `${SEARCH_SYNTAX} Ranked by \`ts_rank_cd\` with title words above summary words above body words; ` +
      'each hit carries its title and a body excerpt with the matches in `<mark>`. ' +
      `A query that matches very many articles ranks ${SEARCH_CANDIDATES} of those matching in their title or summary ` +
      `and ${SEARCH_CANDIDATES} others, and its pages end there: narrow it down with more words, a phrase or \`-word\`.`,
    operationId: 'search_knowledge_articles',
  })
  @ApiQuery({
    name: 'q',
    required: true,
    schema: { type: 'string', maxLength: 100 },
    example: 'reset pin',
  })
  @ApiQuery(LANG_QUERY)
  @ApiQuery({
    name: 'status',
    required: false,
    schema: { type: 'string', maxLength: 100 },
    example: 'published,review',
    description: 'Comma-separated statuses; all when left out',
  })
  @ApiQuery(PAGE_QUERIES[0])
  @ApiQuery(PAGE_QUERIES[1])
  @ApiOkResponse({ type: ArticleSearchPageDto })
  @ApiProblems(400, 401, 403)
  search(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.searching.search(ctx, query);
  }

  @Post(':id/votes')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Say whether an article helped',
    description:
      'One vote per user and article: voting again replaces the earlier vote. The counts on the article ' +
      'change without a new version. Emits `knowledge_article.voted`.',
    operationId: 'vote_knowledge_articles',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ArticleVoteResultDto })
  @ApiProblems(400, 401, 403, 404)
  vote(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ArticleVoteDto,
  ) {
    return this.articles.vote(ctx, id, body.helpful);
  }

  @Get(':id/cases')
  @ApiOperation({
    summary: 'The cases an article is linked to',
    operationId: 'list_cases_knowledge_articles',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ArticleCaseListDto })
  @ApiProblems(400, 401, 403, 404)
  cases(@Ctx() ctx: RequestContext, @Param('id', UuidParamPipe) id: string) {
    return this.articles.casesOf(ctx, id);
  }

  @Put(':id/cases/:caseId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Link an article to a case it helped with',
    description:
      'Needs update on the article; linking twice is one link. Emits `knowledge_article.case_linked`.',
    operationId: 'link_case_knowledge_articles',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'caseId', format: 'uuid' })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404)
  link(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('caseId', UuidParamPipe) caseId: string,
  ) {
    return this.articles.linkCase(ctx, id, caseId);
  }

  @Delete(':id/cases/:caseId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Unlink an article from a case',
    operationId: 'unlink_case_knowledge_articles',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'caseId', format: 'uuid' })
  @ApiNoContentResponse()
  @ApiProblems(400, 401, 403, 404)
  unlink(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidParamPipe) id: string,
    @Param('caseId', UuidParamPipe) caseId: string,
  ) {
    return this.articles.unlinkCase(ctx, id, caseId);
  }
}

/** The help centre: published public articles for anyone, without credentials. */
@ApiTags('Knowledge base')
@Public()
@Controller('api/v1/public/knowledge/articles')
export class PublicKnowledgeController {
  constructor(private readonly searching: KnowledgeSearchService) {}

  @Get()
  @ApiOperation({
    summary: 'Published public articles, searched or newest first (no login)',
    description: `Without \`q\`: newest publication first. With \`q\`: best match first. ${SEARCH_SYNTAX}`,
    operationId: 'list_public_knowledge_articles',
  })
  @ApiQuery({ name: 'q', required: false, schema: { type: 'string', maxLength: 100 } })
  @ApiQuery(LANG_QUERY)
  @ApiQuery(PAGE_QUERIES[0])
  @ApiQuery(PAGE_QUERIES[1])
  @ApiOkResponse({ type: PublicArticlePageDto })
  @ApiProblems(400)
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.searching.publicArticles(ctx, query);
  }

  @Get(':slug')
  @ApiOperation({
    summary: 'One published public article by its slug (no login)',
    description: 'In `lang` when the article is written in it, else in its other language.',
    operationId: 'get_public_knowledge_article',
  })
  @ApiParam({ name: 'slug', schema: { type: 'string', maxLength: 200, pattern: '^[a-z0-9-]+$' } })
  @ApiQuery(LANG_QUERY)
  @ApiOkResponse({ type: PublicArticleDto })
  @ApiProblems(400, 404)
  one(
    @Ctx() ctx: RequestContext,
    @Param('slug') slug: string,
    @Query() query: Record<string, unknown>,
  ) {
    return this.searching.publicArticle(ctx, slug, query);
  }
}
