import type { MigrationInterface, QueryRunner } from 'typeorm';

type Scope = 'none' | 'own' | 'team' | 'all';
const grant = (create: Scope, read: Scope, update: Scope, del: Scope, reassign = false) => ({
  create,
  read,
  update,
  delete: del,
  reassign,
});
const CATALOG_ENTITIES = ['product-families', 'products', 'price-books', 'price-book-entries'];
const MAINTAINS = grant('all', 'all', 'all', 'all', true);
const READS = grant('none', 'all', 'none', 'none');

/** Managers keep the catalog and its prices; everyone else reads it to sell and serve. */
const GRANTS: Record<string, ReturnType<typeof grant>> = {
  admin: MAINTAINS,
  sales_manager: MAINTAINS,
  sales_rep: READS,
  marketing: READS,
  service_agent: READS,
  analyst: READS,
};

/**
 * The product catalog and its price books.
 *
 * - `product_families`, `products`: names and descriptions are jsonb `{ "en": …, "id": … }`
 *   holding at least one language, so a language is added by the API and config, not by a
 *   column. `search_name` is the lowered text of every language, for `q` and its trigram
 *   index. A SKU is unique among live products whatever its case; a deleted product keeps
 *   its SKU until it is restored or purged.
 * - `price_books`: one currency each; segment criteria (account type, industry, tier) that an
 *   account must all match; validity days inclusive at both ends. One standard book per
 *   currency, enforced by a partial unique index; a standard book has no criteria, being the
 *   fallback for every account.
 * - `price_book_entries`: a product's unit price in a book from a minimum quantity on (volume
 *   tiers), with its own validity. The lookup index leads with the product, then the book.
 *
 * Money is numeric with its currency beside it; quantities are numeric too (hours, kilograms).
 * Built-in roles get grants on the four entities (a grant an admin gave already is kept);
 * sales reps do not see a product's cost price, which is for margins.
 */
export class Catalog1764600000000 implements MigrationInterface {
  name = 'Catalog1764600000000';

  async up(q: QueryRunner): Promise<void> {
    const recordColumns = (table: string) => `
        owner_id uuid NOT NULL REFERENCES users (id),
        team_id uuid REFERENCES teams (id),
        custom_fields jsonb NOT NULL DEFAULT '{}',
        merged_into_id uuid REFERENCES ${table} (id),
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz`;
    const localized = (column: string) =>
      `CHECK (jsonb_typeof(${column}) = 'object' AND (${column} ? 'en' OR ${column} ? 'id'))`;

    await q.query(`
      CREATE TABLE product_families (
        id uuid PRIMARY KEY,
        name jsonb NOT NULL ${localized('name')},
        description jsonb,
        active boolean NOT NULL DEFAULT true,
        search_name text NOT NULL,
        ${recordColumns('product_families')}
      )`);

    await q.query(`
      CREATE TABLE products (
        id uuid PRIMARY KEY,
        sku text NOT NULL CHECK (length(sku) BETWEEN 1 AND 64),
        name jsonb NOT NULL ${localized('name')},
        description jsonb,
        family_id uuid REFERENCES product_families (id),
        unit text NOT NULL DEFAULT 'unit' CHECK (length(unit) > 0),
        active boolean NOT NULL DEFAULT true,
        tax_category text NOT NULL CHECK (length(tax_category) > 0),
        cost_price_amount numeric CHECK (cost_price_amount >= 0),
        cost_price_currency char(3),
        available_from date,
        available_to date,
        search_name text NOT NULL,
        ${recordColumns('products')},
        CHECK ((cost_price_amount IS NULL) = (cost_price_currency IS NULL)),
        CHECK (available_to IS NULL OR available_from IS NULL OR available_from <= available_to)
      )`);

    await q.query(`
      CREATE TABLE price_books (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text,
        currency char(3) NOT NULL,
        is_standard boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        account_type text,
        industry text,
        tier text,
        valid_from date,
        valid_to date,
        ${recordColumns('price_books')},
        CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to),
        CHECK (NOT is_standard OR (account_type IS NULL AND industry IS NULL AND tier IS NULL))
      )`);

    await q.query(`
      CREATE TABLE price_book_entries (
        id uuid PRIMARY KEY,
        price_book_id uuid NOT NULL REFERENCES price_books (id),
        product_id uuid NOT NULL REFERENCES products (id),
        unit_price_amount numeric NOT NULL CHECK (unit_price_amount >= 0),
        unit_price_currency char(3) NOT NULL,
        min_quantity numeric NOT NULL DEFAULT 1 CHECK (min_quantity > 0),
        valid_from date,
        valid_to date,
        ${recordColumns('price_book_entries')},
        CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to)
      )`);

    await q.query(
      `CREATE UNIQUE INDEX products_sku_key ON products (lower(sku)) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX price_books_standard_key ON price_books (currency) WHERE is_standard AND deleted_at IS NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX price_book_entries_tier_key ON price_book_entries (price_book_id, product_id, min_quantity) WHERE deleted_at IS NULL`,
    );
    // The price lookup: a product's entries, then their books by currency.
    await q.query(
      `CREATE INDEX price_book_entries_lookup_idx ON price_book_entries (product_id, price_book_id, min_quantity) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX price_books_lookup_idx ON price_books (currency, is_standard) WHERE deleted_at IS NULL AND active`,
    );

    for (const table of ['product_families', 'products', 'price_books', 'price_book_entries']) {
      await q.query(
        `CREATE INDEX ${table}_created_idx ON ${table} (created_at, id) WHERE deleted_at IS NULL`,
      );
      await q.query(`CREATE INDEX ${table}_owner_idx ON ${table} (owner_id)`);
      await q.query(`CREATE INDEX ${table}_team_idx ON ${table} (team_id)`);
    }
    await q.query(`CREATE INDEX products_sku_idx ON products (sku, id) WHERE deleted_at IS NULL`);
    await q.query(`CREATE INDEX products_family_idx ON products (family_id)`);
    await q.query(
      `CREATE INDEX products_search_idx ON products USING gin ((search_name || ' ' || lower(sku)) gin_trgm_ops)`,
    );
    await q.query(
      `CREATE INDEX product_families_search_idx ON product_families USING gin (search_name gin_trgm_ops)`,
    );
    await q.query(
      `CREATE INDEX price_books_name_idx ON price_books (name, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX price_books_search_idx ON price_books USING gin (lower(name) gin_trgm_ops)`,
    );
    await q.query(`CREATE INDEX price_book_entries_book_idx ON price_book_entries (price_book_id)`);

    for (const [key, g] of Object.entries(GRANTS)) {
      for (const entity of CATALOG_ENTITIES) {
        await q.query(
          `UPDATE roles SET permissions = jsonb_set(permissions, ARRAY['entities', $2::text], $3::jsonb, true),
                  version = version + 1, updated_at = now()
            WHERE key = $1 AND built_in AND NOT (permissions->'entities' ? $2::text)`,
          [key, entity, JSON.stringify(g)],
        );
      }
    }
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(permissions, '{fields}',
              coalesce(permissions->'fields', '{}') || '{"products": {"costPrice": "hidden"}}'::jsonb),
              version = version + 1, updated_at = now()
        WHERE key = 'sales_rep' AND built_in AND NOT (coalesce(permissions->'fields', '{}') ? 'products')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(jsonb_set(permissions, '{entities}', (permissions->'entities') - $1::text[]),
              '{fields}', coalesce(permissions->'fields', '{}') - 'products')
        WHERE built_in`,
      [CATALOG_ENTITIES],
    );
    await q.query(`DROP TABLE price_book_entries`);
    await q.query(`DROP TABLE price_books`);
    await q.query(`DROP TABLE products`);
    await q.query(`DROP TABLE product_families`);
  }
}
