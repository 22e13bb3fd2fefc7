import type { MigrationInterface, QueryRunner } from 'typeorm';

type Scope = 'none' | 'own' | 'team' | 'all';
const grant = (create: Scope, read: Scope, update: Scope, del: Scope, reassign = false) => ({
  create,
  read,
  update,
  delete: del,
  reassign,
});
const MODEL_ENTITIES = [
  'product-option-groups',
  'product-options',
  'product-bundles',
  'product-option-rules',
  'configuration-discounts',
];
const MAINTAINS = grant('all', 'all', 'all', 'all', true);
const READS = grant('none', 'all', 'none', 'none');

/**
 * Managers keep the configurable products; everyone else reads them to sell. Saved
 * configurations belong to the seller who made them, like opportunities.
 */
const GRANTS: Record<string, { model: ReturnType<typeof grant>; saved: ReturnType<typeof grant> }> =
  {
    admin: { model: MAINTAINS, saved: MAINTAINS },
    sales_manager: { model: MAINTAINS, saved: grant('all', 'all', 'team', 'team', true) },
    sales_rep: { model: READS, saved: grant('own', 'team', 'own', 'own') },
    marketing: { model: READS, saved: grant('none', 'none', 'none', 'none') },
    service_agent: { model: READS, saved: grant('none', 'all', 'none', 'none') },
    analyst: { model: READS, saved: grant('none', 'all', 'none', 'none') },
  };

/**
 * The product configurator.
 *
 * - `product_option_groups`: choices offered on a configurable product, with how many of
 *   them a configuration takes.
 * - `product_options`: one choice of a group, either another product (priced from the price
 *   books) or a surcharge per currency (jsonb list of `{amount, currency}`); `product_id` is
 *   the configurable product, copied from the group so rules and bundles check it cheaply.
 * - `product_bundles`: options sold together at a discount percent.
 * - `product_option_rules`: requires / excludes / only-with / quantity-limit between options.
 * - `configuration_discounts`: percent off a configuration for an account segment, matched
 *   like price books (the most specific applicable one wins).
 * - `product_configurations`: a saved configuration with the priced lines and total it had
 *   when last written, so a quote can point at it.
 */
export class Configurator1764700000000 implements MigrationInterface {
  name = 'Configurator1764700000000';

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
    const percent = (column: string) =>
      `${column} numeric NOT NULL CHECK (${column} BETWEEN 0 AND 100)`;

    await q.query(`
      CREATE TABLE product_option_groups (
        id uuid PRIMARY KEY,
        product_id uuid NOT NULL REFERENCES products (id),
        name jsonb NOT NULL ${localized('name')},
        min_choices integer NOT NULL DEFAULT 0 CHECK (min_choices >= 0),
        max_choices integer CHECK (max_choices >= 1),
        required boolean NOT NULL DEFAULT false,
        sort_order integer NOT NULL DEFAULT 0,
        active boolean NOT NULL DEFAULT true,
        ${recordColumns('product_option_groups')},
        CHECK (max_choices IS NULL OR max_choices >= min_choices)
      )`);

    await q.query(`
      CREATE TABLE product_options (
        id uuid PRIMARY KEY,
        group_id uuid NOT NULL REFERENCES product_option_groups (id),
        product_id uuid NOT NULL REFERENCES products (id),
        name jsonb,
        option_product_id uuid REFERENCES products (id),
        surcharges jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(surcharges) = 'array'),
        is_default boolean NOT NULL DEFAULT false,
        min_quantity numeric NOT NULL DEFAULT 1 CHECK (min_quantity > 0),
        max_quantity numeric,
        sort_order integer NOT NULL DEFAULT 0,
        active boolean NOT NULL DEFAULT true,
        ${recordColumns('product_options')},
        CHECK (max_quantity IS NULL OR max_quantity >= min_quantity),
        CHECK ((option_product_id IS NULL) <> (jsonb_array_length(surcharges) = 0))
      )`);

    await q.query(`
      CREATE TABLE product_bundles (
        id uuid PRIMARY KEY,
        product_id uuid NOT NULL REFERENCES products (id),
        name jsonb NOT NULL ${localized('name')},
        option_ids text[] NOT NULL CHECK (cardinality(option_ids) >= 2),
        ${percent('discount_percent')},
        active boolean NOT NULL DEFAULT true,
        ${recordColumns('product_bundles')}
      )`);

    await q.query(`
      CREATE TABLE product_option_rules (
        id uuid PRIMARY KEY,
        product_id uuid NOT NULL REFERENCES products (id),
        kind text NOT NULL CHECK (kind IN ('requires', 'excludes', 'only-with', 'quantity-limit')),
        option_id uuid NOT NULL REFERENCES product_options (id),
        target_option_ids text[] NOT NULL DEFAULT '{}',
        min_quantity numeric CHECK (min_quantity >= 0),
        max_quantity numeric CHECK (max_quantity >= 0),
        message jsonb,
        active boolean NOT NULL DEFAULT true,
        ${recordColumns('product_option_rules')},
        CHECK (kind = 'quantity-limit' OR cardinality(target_option_ids) >= 1),
        CHECK (kind <> 'quantity-limit' OR min_quantity IS NOT NULL OR max_quantity IS NOT NULL)
      )`);

    await q.query(`
      CREATE TABLE configuration_discounts (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        product_id uuid REFERENCES products (id),
        account_type text,
        industry text,
        tier text,
        ${percent('discount_percent')},
        valid_from date,
        valid_to date,
        active boolean NOT NULL DEFAULT true,
        ${recordColumns('configuration_discounts')},
        CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to)
      )`);

    await q.query(`
      CREATE TABLE product_configurations (
        id uuid PRIMARY KEY,
        name text CHECK (length(name) BETWEEN 1 AND 200),
        product_id uuid NOT NULL REFERENCES products (id),
        account_id uuid REFERENCES accounts (id),
        currency char(3) NOT NULL,
        quantity numeric NOT NULL CHECK (quantity > 0),
        price_date date,
        selections jsonb NOT NULL DEFAULT '[]',
        lines jsonb NOT NULL DEFAULT '[]',
        total_amount numeric NOT NULL,
        total_currency char(3) NOT NULL,
        priced_at timestamptz NOT NULL DEFAULT now(),
        ${recordColumns('product_configurations')}
      )`);

    // What pricing loads: every live part of one configurable product.
    await q.query(
      `CREATE INDEX product_option_groups_product_idx ON product_option_groups (product_id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX product_options_product_idx ON product_options (product_id) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX product_options_group_idx ON product_options (group_id)`);
    await q.query(
      `CREATE INDEX product_bundles_product_idx ON product_bundles (product_id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX product_option_rules_product_idx ON product_option_rules (product_id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX configuration_discounts_lookup_idx ON configuration_discounts (product_id) WHERE deleted_at IS NULL AND active`,
    );
    await q.query(
      `CREATE INDEX product_configurations_product_idx ON product_configurations (product_id)`,
    );
    await q.query(
      `CREATE INDEX product_configurations_account_idx ON product_configurations (account_id)`,
    );
    for (const table of [
      'product_option_groups',
      'product_options',
      'product_bundles',
      'product_option_rules',
      'configuration_discounts',
      'product_configurations',
    ]) {
      await q.query(
        `CREATE INDEX ${table}_created_idx ON ${table} (created_at, id) WHERE deleted_at IS NULL`,
      );
      await q.query(`CREATE INDEX ${table}_owner_idx ON ${table} (owner_id)`);
      await q.query(`CREATE INDEX ${table}_team_idx ON ${table} (team_id)`);
    }

    for (const [key, g] of Object.entries(GRANTS)) {
      const entries: [string, ReturnType<typeof grant>][] = [
        ...MODEL_ENTITIES.map((e): [string, ReturnType<typeof grant>] => [e, g.model]),
        ['configurations', g.saved],
      ];
      for (const [entity, value] of entries) {
        await q.query(
          `UPDATE roles SET permissions = jsonb_set(permissions, ARRAY['entities', $2::text], $3::jsonb, true),
                  version = version + 1, updated_at = now()
            WHERE key = $1 AND built_in AND NOT (permissions->'entities' ? $2::text)`,
          [key, entity, JSON.stringify(value)],
        );
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(permissions, '{entities}', (permissions->'entities') - $1::text[])
        WHERE built_in`,
      [[...MODEL_ENTITIES, 'configurations']],
    );
    for (const table of [
      'product_configurations',
      'configuration_discounts',
      'product_option_rules',
      'product_bundles',
      'product_options',
      'product_option_groups',
    ])
      await q.query(`DROP TABLE ${table}`);
  }
}
