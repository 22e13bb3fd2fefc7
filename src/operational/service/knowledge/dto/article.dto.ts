import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsPicklistValue } from '#platform/customization/index.js';
import {
  CustomFieldsInput,
  OwnerIdInput,
  RecordResponse,
  TeamIdInput,
} from '#platform/records/index.js';
import {
  ARTICLE_CATEGORIES,
  ARTICLE_STATUSES,
  ARTICLE_VISIBILITIES,
  BODY_FORMATS,
} from '../article-status.js';

export const MAX_TITLE = 300;
export const MAX_SUMMARY = 1000;
export const MAX_BODY = 100_000;
export const MAX_TAGS = 20;

/** An article in one language. */
export class ArticleVersionDto {
  @ApiProperty({ example: 'Reset your card PIN', maxLength: MAX_TITLE })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TITLE)
  title: string;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    example: 'How a customer sets a new PIN in the mobile app',
    maxLength: MAX_SUMMARY,
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_SUMMARY)
  summary?: string | null;

  @ApiProperty({
    example: 'Open **Cards**, pick the card, then *Change PIN*.',
    maxLength: MAX_BODY,
    description: 'Markdown, or HTML that the server sanitizes (no scripts, styles or handlers)',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_BODY)
  body: string;
}

/** The article's language versions; at least one. On PATCH a language given as null is removed. */
export class ArticleContentDto {
  @ApiPropertyOptional({ type: ArticleVersionDto, nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ArticleVersionDto)
  en?: ArticleVersionDto | null;

  @ApiPropertyOptional({
    type: ArticleVersionDto,
    nullable: true,
    example: {
      title: 'Mengatur ulang PIN kartu',
      summary: 'Cara nasabah membuat PIN baru di aplikasi',
      body: 'Buka **Kartu**, pilih kartu, lalu *Ubah PIN*.',
    },
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ArticleVersionDto)
  id?: ArticleVersionDto | null;
}

export class CreateKnowledgeArticleDto {
  @ApiPropertyOptional({
    type: 'string',
    example: 'reset-your-card-pin',
    maxLength: 200,
    description:
      'Lower-case words joined by hyphens, unique among live articles; made from the title when left out',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
    message: 'slug must be lower-case letters and digits joined by single hyphens',
  })
  slug?: string;

  @ApiProperty({ type: ArticleContentDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ArticleContentDto)
  content: ArticleContentDto;

  @ApiPropertyOptional({ enum: BODY_FORMATS, default: 'markdown' })
  @IsOptional()
  @IsIn(BODY_FORMATS)
  bodyFormat?: string;

  @ApiPropertyOptional({
    enum: ARTICLE_VISIBILITIES,
    default: 'internal',
    description: '`public` articles, once published, are readable without login',
  })
  @IsOptional()
  @IsIn(ARTICLE_VISIBILITIES)
  visibility?: string;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    enum: ARTICLE_CATEGORIES,
    maxLength: 50,
    description: 'A value of the category picklist (configurable)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  @IsPicklistValue('knowledge-articles', 'category', ARTICLE_CATEGORIES)
  category?: string | null;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', maxLength: 50 },
    maxItems: MAX_TAGS,
    example: ['pin', 'mobile-app'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TAGS)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];

  @OwnerIdInput()
  ownerId?: string;

  @TeamIdInput()
  teamId?: string | null;

  @CustomFieldsInput('knowledge-articles')
  customFields?: Record<string, unknown>;
}

export class UpdateKnowledgeArticleDto extends PartialType(CreateKnowledgeArticleDto) {
  @ApiPropertyOptional({
    enum: ARTICLE_STATUSES,
    description:
      'draft → review | archived; review → draft | published; published → archived; archived → draft. Others: 409',
  })
  @IsOptional()
  @IsIn(ARTICLE_STATUSES)
  status?: string;
}

export class KnowledgeArticleDto extends RecordResponse(CreateKnowledgeArticleDto) {
  @ApiProperty({ example: 'reset-your-card-pin', maxLength: 200 }) declare slug: string;
  @ApiProperty({ enum: BODY_FORMATS }) declare bodyFormat: string;
  @ApiProperty({ enum: ARTICLE_VISIBILITIES }) declare visibility: string;
  @ApiProperty({ type: 'array', items: { type: 'string', maxLength: 50 }, maxItems: MAX_TAGS })
  declare tags: string[];
  @ApiProperty({ enum: ARTICLE_STATUSES }) status: string;
  @ApiProperty({ format: 'date-time' }) statusChangedAt: string;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'Last publication',
  })
  publishedAt: string | null;
  @ApiProperty({ example: 12 }) helpfulCount: number;
  @ApiProperty({ example: 1 }) notHelpfulCount: number;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) declare teamId: string | null;
}

export class ArticleVoteDto {
  @ApiProperty({
    example: true,
    description: 'Whether the article helped; a second vote replaces the first',
  })
  @IsBoolean()
  helpful: boolean;
}

export class ArticleVoteResultDto {
  @ApiProperty({ example: true }) helpful: boolean;
  @ApiProperty({ example: 12 }) helpfulCount: number;
  @ApiProperty({ example: 1 }) notHelpfulCount: number;
}

export class ArticleCaseDto {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'date-time' }) linkedAt: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) linkedById: string | null;
}

export class ArticleCaseListDto {
  @ApiProperty({ type: [ArticleCaseDto], maxItems: 1000 }) data: ArticleCaseDto[];
}
