/** What other modules use of the knowledge base: the module, and the articles linked to a case. */
export { KnowledgeModule } from './knowledge.module.js';
export { KnowledgeArticlesService } from './knowledge-articles.service.js';
export { KnowledgeSearchService } from './knowledge-search.service.js';
export { PublicArticlePageDto } from './dto/search.dto.js';
export { KNOWLEDGE_PROBLEMS } from './knowledge.errors.js';
export * from './knowledge.events.js';
