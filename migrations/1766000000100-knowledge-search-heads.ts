import type { MigrationInterface, QueryRunner } from 'typeorm';

const head = (config: string, lang: string) => `
  setweight(to_tsvector('${config}', coalesce(content #>> '{${lang},title}', '')), 'A') ||
  setweight(to_tsvector('${config}', coalesce(content #>> '{${lang},summary}', '')), 'B')`;

/**
 * Knowledge search ranks a bounded set of candidates instead of every match: a common word
 * matched most of 100,000 articles, and ranking them all took about a second (see
 * bench/knowledge-search.ts). `head_en` / `head_id` hold the title and summary words alone,
 * with their own GIN indexes, so that articles matching in their title or summary are always
 * among the candidates, whatever their bodies say.
 */
export class KnowledgeSearchHeads1766000000100 implements MigrationInterface {
  name = 'KnowledgeSearchHeads1766000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE knowledge_articles
        ADD COLUMN head_en tsvector GENERATED ALWAYS AS (${head('english', 'en')}) STORED,
        ADD COLUMN head_id tsvector GENERATED ALWAYS AS (${head('indonesian', 'id')}) STORED`);
    await q.query(
      `CREATE INDEX knowledge_articles_head_en_idx ON knowledge_articles USING gin (head_en) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX knowledge_articles_head_id_idx ON knowledge_articles USING gin (head_id) WHERE deleted_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE knowledge_articles DROP COLUMN head_en, DROP COLUMN head_id`);
  }
}
