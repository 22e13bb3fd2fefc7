import type { MigrationInterface, QueryRunner } from 'typeorm';

type Scope = 'none' | 'own' | 'team' | 'all';
const grant = (create: Scope, read: Scope, update: Scope, del: Scope, reassign = false) => ({
  create,
  read,
  update,
  delete: del,
  reassign,
});
const QUOTE_ENTITIES = ['quotes', 'quote-lines'];

/** Sellers quote their own and their team's deals; managers all of them; others read. */
const GRANTS: Record<string, ReturnType<typeof grant>> = {
  admin: grant('all', 'all', 'all', 'all', true),
  sales_manager: grant('all', 'all', 'all', 'all', true),
  sales_rep: grant('own', 'team', 'own', 'own'),
  marketing: grant('none', 'all', 'none', 'none'),
  service_agent: grant('none', 'all', 'none', 'none'),
  analyst: grant('none', 'all', 'none', 'none'),
};

/** Margins come from cost prices, which sales reps do not see (see the catalog migration). */
const HIDDEN_FROM_REPS = {
  quotes: { costTotal: 'hidden', margin: 'hidden', marginPercent: 'hidden' },
  'quote-lines': { unitCost: 'hidden', costAmount: 'hidden' },
};

/**
 * Quotes and their lines.
 *
 * - `quotes`: a human number from `quote_number_seq` (`Q-2026-000123`) shared by every
 *   revision of a quote, unique with its revision. Status moves draft → in_review → approved
 *   → sent → accepted / rejected / expired; a revision marks the one it replaces superseded.
 *   Totals (subtotal, discounts, taxes by category in `taxes`, grand total, cost and margin)
 *   are computed by the server on every line write and stored with the quote's currency.
 * - `quote_lines`: a product, a quantity, a unit price (from the price book or given), a
 *   discount, the tax category and rate taken from the product when the line was made, and
 *   the computed amounts. Lines carry the owner and team of their quote. `configuration_id`
 *   names a saved product configuration; it has no foreign key yet.
 */
export class Quotes1764700100000 implements MigrationInterface {
  name = 'Quotes1764700100000';

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
    const money = (column: string, nullable = false) => `
        ${column}_amount numeric ${nullable ? '' : 'NOT NULL DEFAULT 0'},
        ${column}_currency char(3)`;

    await q.query(`CREATE SEQUENCE quote_number_seq`);
    await q.query(`
      CREATE TABLE quotes (
        id uuid PRIMARY KEY,
        number text NOT NULL CHECK (length(number) BETWEEN 1 AND 40),
        revision integer NOT NULL DEFAULT 1 CHECK (revision > 0),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN
          ('draft', 'in_review', 'approved', 'sent', 'accepted', 'rejected', 'expired', 'superseded')),
        opportunity_id uuid REFERENCES opportunities (id),
        account_id uuid NOT NULL REFERENCES accounts (id),
        contact_id uuid REFERENCES contacts (id),
        currency char(3) NOT NULL,
        price_book_id uuid REFERENCES price_books (id),
        language text NOT NULL CHECK (language IN ('en', 'id')),
        valid_until date NOT NULL,
        header_discount_percent numeric NOT NULL DEFAULT 0
          CHECK (header_discount_percent >= 0 AND header_discount_percent <= 100),
        notes text,
        terms text,
        approval_required boolean NOT NULL DEFAULT false,
        submitted_at timestamptz,
        submitted_by_id uuid REFERENCES users (id),
        approved_at timestamptz,
        approved_by_id uuid REFERENCES users (id),
        sent_at timestamptz,
        decided_at timestamptz,
        rejection_reason text,
        expired_at timestamptz,
        previous_revision_id uuid REFERENCES quotes (id),
        superseded_by_id uuid REFERENCES quotes (id),
        line_count integer NOT NULL DEFAULT 0,
        ${money('subtotal')},
        ${money('line_discount_total')},
        ${money('header_discount')},
        ${money('discount_total')},
        ${money('tax_total')},
        ${money('grand_total')},
        ${money('cost_total', true)},
        ${money('margin', true)},
        margin_percent numeric,
        taxes jsonb NOT NULL DEFAULT '[]',
        ${recordColumns('quotes')}
      )`);
    await q.query(`
      CREATE TABLE quote_lines (
        id uuid PRIMARY KEY,
        quote_id uuid NOT NULL REFERENCES quotes (id),
        product_id uuid NOT NULL REFERENCES products (id),
        configuration_id uuid,
        position integer NOT NULL DEFAULT 0,
        description text,
        quantity numeric NOT NULL CHECK (quantity > 0),
        unit_price_amount numeric NOT NULL CHECK (unit_price_amount >= 0),
        unit_price_currency char(3) NOT NULL,
        price_source text NOT NULL CHECK (price_source IN ('price_book', 'manual')),
        price_book_id uuid REFERENCES price_books (id),
        discount_percent numeric NOT NULL DEFAULT 0
          CHECK (discount_percent >= 0 AND discount_percent <= 100),
        tax_category text NOT NULL,
        tax_rate numeric NOT NULL CHECK (tax_rate >= 0),
        ${money('unit_cost', true)},
        ${money('cost_amount', true)},
        ${money('gross_amount')},
        ${money('discount_amount')},
        ${money('net_amount')},
        ${money('header_discount_amount')},
        ${money('tax_amount')},
        ${money('total_amount')},
        ${recordColumns('quote_lines')}
      )`);

    await q.query(
      `CREATE UNIQUE INDEX quotes_number_key ON quotes (number, revision) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX quotes_number_idx ON quotes (number, id) WHERE deleted_at IS NULL`);
    await q.query(`CREATE INDEX quotes_opportunity_idx ON quotes (opportunity_id)`);
    await q.query(`CREATE INDEX quotes_account_idx ON quotes (account_id)`);
    await q.query(`CREATE INDEX quotes_contact_idx ON quotes (contact_id)`);
    // The expiry run: open quotes past their validity.
    await q.query(
      `CREATE INDEX quotes_expiry_idx ON quotes (valid_until) WHERE deleted_at IS NULL AND status IN ('in_review', 'approved', 'sent')`,
    );
    await q.query(
      `CREATE INDEX quote_lines_quote_idx ON quote_lines (quote_id, position, id) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX quote_lines_product_idx ON quote_lines (product_id)`);
    for (const table of ['quotes', 'quote_lines']) {
      await q.query(
        `CREATE INDEX ${table}_created_idx ON ${table} (created_at, id) WHERE deleted_at IS NULL`,
      );
      await q.query(`CREATE INDEX ${table}_owner_idx ON ${table} (owner_id)`);
      await q.query(`CREATE INDEX ${table}_team_idx ON ${table} (team_id)`);
    }
    await q.query(
      `CREATE INDEX quotes_search_idx ON quotes USING gin (lower(number) gin_trgm_ops)`,
    );

    for (const [key, g] of Object.entries(GRANTS)) {
      for (const entity of QUOTE_ENTITIES) {
        await q.query(
          `UPDATE roles SET permissions = jsonb_set(permissions, ARRAY['entities', $2::text], $3::jsonb, true),
                  version = version + 1, updated_at = now()
            WHERE key = $1 AND built_in AND NOT (permissions->'entities' ? $2::text)`,
          [key, entity, JSON.stringify(g)],
        );
      }
    }
    for (const [entity, fields] of Object.entries(HIDDEN_FROM_REPS)) {
      await q.query(
        `UPDATE roles SET permissions = jsonb_set(permissions, '{fields}',
                coalesce(permissions->'fields', '{}') || jsonb_build_object($1::text, $2::jsonb)),
                version = version + 1, updated_at = now()
          WHERE key = 'sales_rep' AND built_in AND NOT (coalesce(permissions->'fields', '{}') ? $1::text)`,
        [entity, JSON.stringify(fields)],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(jsonb_set(permissions, '{entities}', (permissions->'entities') - $1::text[]),
              '{fields}', coalesce(permissions->'fields', '{}') - $1::text[])
        WHERE built_in`,
      [QUOTE_ENTITIES],
    );
    await q.query(`DROP TABLE quote_lines`);
    await q.query(`DROP TABLE quotes`);
    await q.query(`DROP SEQUENCE quote_number_seq`);
  }
}
