import { Module } from '@nestjs/common';
import {
  KnowledgeArticleActionsController,
  KnowledgeArticlesController,
  PublicKnowledgeController,
} from './knowledge.controllers.js';
import { KnowledgeArticlesService } from './knowledge-articles.service.js';
import { KnowledgeSearchRepository } from './knowledge-search.repository.js';
import { KnowledgeSearchService } from './knowledge-search.service.js';

/** The knowledge base: articles in English and Indonesian, full-text search, the help centre. */
@Module({
  controllers: [
    KnowledgeArticleActionsController,
    KnowledgeArticlesController,
    PublicKnowledgeController,
  ],
  providers: [KnowledgeArticlesService, KnowledgeSearchRepository, KnowledgeSearchService],
  exports: [KnowledgeArticlesService, KnowledgeSearchService],
})
export class KnowledgeModule {}
