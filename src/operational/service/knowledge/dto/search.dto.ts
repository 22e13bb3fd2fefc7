import { ApiProperty } from '@nestjs/swagger';
import { ListMetaDto } from '#platform/records/index.js';
import {
  ARTICLE_LANGUAGES,
  ARTICLE_STATUSES,
  ARTICLE_VISIBILITIES,
  BODY_FORMATS,
} from '../article-status.js';
import { MAX_BODY, MAX_SUMMARY, MAX_TAGS, MAX_TITLE } from './article.dto.js';

const TAGS = {
  type: 'array',
  items: { type: 'string', maxLength: 50 },
  maxItems: MAX_TAGS,
} as const;
const HIGHLIGHT = {
  maxLength: 2000,
  description: 'Matched words wrapped in `<mark>`…`</mark>`; everything else is escaped text',
} as const;

/** What a reader of the public help centre sees of an article in one language. */
export class PublicArticleDto {
  @ApiProperty({ example: 'reset-your-card-pin', maxLength: 200 }) slug: string;
  @ApiProperty({ enum: ARTICLE_LANGUAGES, description: 'The language of title, summary and body' })
  lang: string;
  @ApiProperty({ example: 'Reset your card PIN', maxLength: MAX_TITLE }) title: string;
  @ApiProperty({ type: 'string', nullable: true, maxLength: MAX_SUMMARY }) summary: string | null;
  @ApiProperty({ maxLength: MAX_BODY }) body: string;
  @ApiProperty({ enum: BODY_FORMATS }) bodyFormat: string;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 50 }) category: string | null;
  @ApiProperty(TAGS) tags: string[];
  @ApiProperty({ format: 'date-time' }) publishedAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ example: 12 }) helpfulCount: number;
  @ApiProperty({ example: 1 }) notHelpfulCount: number;
}

export class PublicArticleHitDto {
  @ApiProperty({ example: 'reset-your-card-pin', maxLength: 200 }) slug: string;
  @ApiProperty({ enum: ARTICLE_LANGUAGES }) lang: string;
  @ApiProperty({ example: 'Reset your card PIN', maxLength: MAX_TITLE }) title: string;
  @ApiProperty({ type: 'string', nullable: true, maxLength: MAX_SUMMARY }) summary: string | null;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 50 }) category: string | null;
  @ApiProperty(TAGS) tags: string[];
  @ApiProperty({ format: 'date-time' }) publishedAt: string;
  @ApiProperty({
    type: 'string',
    nullable: true,
    ...HIGHLIGHT,
    description: `${HIGHLIGHT.description}; null without q`,
  })
  highlight: string | null;
}

export class PublicArticlePageDto {
  @ApiProperty({ type: [PublicArticleHitDto], maxItems: 100 }) data: PublicArticleHitDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}

/** A search hit for staff: the article in the searched language, ranked and highlighted. */
export class ArticleSearchHitDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'reset-your-card-pin', maxLength: 200 }) slug: string;
  @ApiProperty({ enum: ARTICLE_LANGUAGES }) lang: string;
  @ApiProperty({ example: 'Reset your card PIN', maxLength: MAX_TITLE }) title: string;
  @ApiProperty({ type: 'string', nullable: true, maxLength: MAX_SUMMARY }) summary: string | null;
  @ApiProperty({ enum: ARTICLE_STATUSES }) status: string;
  @ApiProperty({ enum: ARTICLE_VISIBILITIES }) visibility: string;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 50 }) category: string | null;
  @ApiProperty(TAGS) tags: string[];
  @ApiProperty({
    example: 0.35,
    description: 'ts_rank_cd with title words weighted above summary and body words',
  })
  rank: number;
  @ApiProperty({ ...HIGHLIGHT, example: 'Reset your card <mark>PIN</mark>' })
  titleHighlight: string;
  @ApiProperty({ ...HIGHLIGHT, example: 'pick the card, then Change <mark>PIN</mark>' })
  highlight: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ArticleSearchPageDto {
  @ApiProperty({ type: [ArticleSearchHitDto], maxItems: 100 }) data: ArticleSearchHitDto[];
  @ApiProperty({ type: ListMetaDto }) meta: ListMetaDto;
}
