import type { MigrationInterface, QueryRunner } from 'typeorm';

type Scope = 'none' | 'own' | 'team' | 'all';
const grant = (create: Scope, read: Scope, update: Scope, del: Scope, reassign = false) => ({
  create,
  read,
  update,
  delete: del,
  reassign,
});

/** Service writes and keeps the knowledge base; everyone else reads it to answer customers. */
const GRANTS: Record<string, ReturnType<typeof grant>> = {
  admin: grant('all', 'all', 'all', 'all', true),
  sales_manager: grant('none', 'all', 'none', 'none'),
  sales_rep: grant('none', 'all', 'none', 'none'),
  marketing: grant('none', 'all', 'none', 'none'),
  service_agent: grant('all', 'all', 'all', 'own'),
  analyst: grant('none', 'all', 'none', 'none'),
};

/**
 * The knowledge base.
 *
 * - `knowledge_articles`: one record per article; `content` holds its language versions
 *   `{ "en": { title, summary, body }, "id": { … } }`, at least one of them. `body_text_en` /
 *   `body_text_id` are the bodies as plain text (HTML and Markdown stripped by the server), so
 *   the search vectors weigh words and not markup. `search_en` and `search_id` are generated
 *   from them: title weight A, summary B, body C, so `ts_rank_cd` ranks a title hit above a
 *   body hit. Each has a GIN index; a language's search reads only its own vector.
 * - The `indonesian` text search configuration: PostgreSQL ships none for Indonesian and a
 *   stop-word file cannot be installed by a migration (dictionaries read theirs from the
 *   server's share directory). So it is `simple` (no stemming: Indonesian affixes are not
 *   handled by any built-in stemmer) behind `unaccent`, so "kafé" and "kafe" meet; Indonesian
 *   stop words are dropped from the query by the server instead (see
 *   src/operational/service/knowledge/indonesian-stop-words.ts). Keeping them in the vector
 *   lets a quoted phrase with a stop word in it still match.
 * - `knowledge_article_votes`: one helpfulness vote per user and article; the article keeps
 *   the counts.
 * - `knowledge_article_cases`: articles linked to the cases they helped with. `case_id` has
 *   no foreign key yet: it comes with the cases table.
 */
export class KnowledgeBase1764900100000 implements MigrationInterface {
  name = 'KnowledgeBase1764900100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await q.query(`CREATE TEXT SEARCH CONFIGURATION indonesian (COPY = simple)`);
    await q.query(`
      ALTER TEXT SEARCH CONFIGURATION indonesian
        ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
        WITH unaccent, simple`);

    const vector = (config: string, lang: string) => `
        setweight(to_tsvector('${config}', coalesce(content #>> '{${lang},title}', '')), 'A') ||
        setweight(to_tsvector('${config}', coalesce(content #>> '{${lang},summary}', '')), 'B') ||
        setweight(to_tsvector('${config}', coalesce(body_text_${lang}, '')), 'C')`;

    await q.query(`
      CREATE TABLE knowledge_articles (
        id uuid PRIMARY KEY,
        slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 200),
        content jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object' AND (content ? 'en' OR content ? 'id')),
        body_format text NOT NULL DEFAULT 'markdown' CHECK (body_format IN ('html', 'markdown')),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'review', 'published', 'archived')),
        visibility text NOT NULL DEFAULT 'internal' CHECK (visibility IN ('internal', 'public')),
        category text CHECK (length(category) <= 50),
        tags text[] NOT NULL DEFAULT '{}',
        status_changed_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        helpful_count integer NOT NULL DEFAULT 0,
        not_helpful_count integer NOT NULL DEFAULT 0,
        body_text_en text,
        body_text_id text,
        search_name text NOT NULL DEFAULT '',
        search_en tsvector GENERATED ALWAYS AS (${vector('english', 'en')}) STORED,
        search_id tsvector GENERATED ALWAYS AS (${vector('indonesian', 'id')}) STORED,
        owner_id uuid NOT NULL REFERENCES users (id),
        team_id uuid REFERENCES teams (id),
        custom_fields jsonb NOT NULL DEFAULT '{}',
        merged_into_id uuid REFERENCES knowledge_articles (id),
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX knowledge_articles_slug_key ON knowledge_articles (slug) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX knowledge_articles_search_en_idx ON knowledge_articles USING gin (search_en) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX knowledge_articles_search_id_idx ON knowledge_articles USING gin (search_id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX knowledge_articles_name_idx ON knowledge_articles USING gin (search_name gin_trgm_ops)`,
    );
    await q.query(
      `CREATE INDEX knowledge_articles_created_idx ON knowledge_articles (created_at, id) WHERE deleted_at IS NULL`,
    );
    // The public help centre lists published public articles, newest first.
    await q.query(
      `CREATE INDEX knowledge_articles_public_idx ON knowledge_articles (published_at DESC, id)
        WHERE deleted_at IS NULL AND status = 'published' AND visibility = 'public'`,
    );
    await q.query(`CREATE INDEX knowledge_articles_owner_idx ON knowledge_articles (owner_id)`);
    await q.query(`CREATE INDEX knowledge_articles_team_idx ON knowledge_articles (team_id)`);

    await q.query(`
      CREATE TABLE knowledge_article_votes (
        article_id uuid NOT NULL REFERENCES knowledge_articles (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id),
        helpful boolean NOT NULL,
        voted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (article_id, user_id)
      )`);

    // case_id gets its foreign key to cases when the cases table exists.
    await q.query(`
      CREATE TABLE knowledge_article_cases (
        article_id uuid NOT NULL REFERENCES knowledge_articles (id) ON DELETE CASCADE,
        case_id uuid NOT NULL,
        linked_by_id uuid REFERENCES users (id),
        linked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (article_id, case_id)
      )`);
    await q.query(
      `CREATE INDEX knowledge_article_cases_case_idx ON knowledge_article_cases (case_id)`,
    );

    for (const [key, g] of Object.entries(GRANTS)) {
      await q.query(
        `UPDATE roles SET permissions = jsonb_set(permissions, ARRAY['entities', $2::text], $3::jsonb, true),
                version = version + 1, updated_at = now()
          WHERE key = $1 AND built_in AND NOT (permissions->'entities' ? $2::text)`,
        [key, 'knowledge-articles', JSON.stringify(g)],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(permissions, '{entities}', (permissions->'entities') - 'knowledge-articles')
        WHERE built_in`,
    );
    await q.query(`DROP TABLE knowledge_article_cases`);
    await q.query(`DROP TABLE knowledge_article_votes`);
    await q.query(`DROP TABLE knowledge_articles`);
    await q.query(`DROP TEXT SEARCH CONFIGURATION indonesian`);
  }
}
