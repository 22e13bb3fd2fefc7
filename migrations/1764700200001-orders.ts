import type { MigrationInterface, QueryRunner } from 'typeorm';

type Scope = 'none' | 'own' | 'team' | 'all';
const grant = (create: Scope, read: Scope, update: Scope, del: Scope, reassign = false) => ({
  create,
  read,
  update,
  delete: del,
  reassign,
});

/** Sellers place and work their orders; service reads them to help customers; analysts read all. */
const GRANTS: Record<string, ReturnType<typeof grant>> = {
  admin: grant('all', 'all', 'all', 'all', true),
  sales_manager: grant('all', 'all', 'team', 'team', true),
  sales_rep: grant('own', 'team', 'own', 'own'),
  marketing: grant('none', 'none', 'none', 'none'),
  service_agent: grant('none', 'all', 'none', 'none'),
  analyst: grant('none', 'all', 'none', 'none'),
};

/**
 * Orders, their lines and their tracking events.
 *
 * - `orders`: numbered `SO-000001` by a sequence; an account, optional contact, opportunity
 *   and quote (no foreign key to quotes yet); one currency; totals and taxes by category kept
 *   on the order as of its lines. Status follows the lifecycle the service enforces.
 * - `order_lines`: prices, discounts and tax rates frozen when the order was placed. A
 *   return adds credit lines: negative quantities pointing at the line they give back.
 *   `account_id` and `booked_at` (order time for sales, return time for credits) repeat the
 *   order's so revenue by customer, period and product reads one table through its indexes.
 * - `order_tracking_events`: what carriers reported, dated.
 */
export class Orders1764700200001 implements MigrationInterface {
  name = 'Orders1764700200001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE order_number_seq`);
    await q.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY,
        number text NOT NULL DEFAULT ('SO-' || lpad(nextval('order_number_seq')::text, 6, '0')),
        account_id uuid NOT NULL REFERENCES accounts (id),
        contact_id uuid REFERENCES contacts (id),
        opportunity_id uuid REFERENCES opportunities (id),
        quote_id uuid,
        currency char(3) NOT NULL,
        status text NOT NULL DEFAULT 'placed' CHECK (status IN
          ('placed', 'confirmed', 'in_fulfilment', 'shipped', 'delivered', 'cancelled', 'returned')),
        ordered_at timestamptz NOT NULL DEFAULT now(),
        status_changed_at timestamptz NOT NULL DEFAULT now(),
        subtotal_amount numeric NOT NULL,
        subtotal_currency char(3) NOT NULL,
        tax_total_amount numeric NOT NULL,
        tax_total_currency char(3) NOT NULL,
        total_amount numeric NOT NULL,
        total_currency char(3) NOT NULL,
        taxes jsonb NOT NULL DEFAULT '[]',
        notes text CHECK (length(notes) <= 5000),
        owner_id uuid NOT NULL REFERENCES users (id),
        team_id uuid REFERENCES teams (id),
        custom_fields jsonb NOT NULL DEFAULT '{}',
        merged_into_id uuid REFERENCES orders (id),
        created_by_id uuid,
        updated_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        deleted_at timestamptz,
        CHECK (subtotal_currency = currency AND tax_total_currency = currency AND total_currency = currency)
      )`);
    await q.query(`
      CREATE TABLE order_lines (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        line_no integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('sale', 'credit')),
        credit_of_line_id uuid REFERENCES order_lines (id) ON DELETE CASCADE,
        product_id uuid NOT NULL REFERENCES products (id),
        configuration_id uuid,
        sku text NOT NULL,
        product_name text NOT NULL,
        description text,
        quantity numeric NOT NULL,
        unit_price numeric NOT NULL CHECK (unit_price >= 0),
        discount_percent numeric NOT NULL DEFAULT 0 CHECK (discount_percent BETWEEN 0 AND 100),
        tax_category text NOT NULL,
        tax_rate numeric NOT NULL CHECK (tax_rate BETWEEN 0 AND 100),
        net_amount numeric NOT NULL,
        currency char(3) NOT NULL,
        account_id uuid NOT NULL REFERENCES accounts (id),
        booked_at timestamptz NOT NULL,
        reason text,
        created_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (order_id, line_no),
        CHECK ((kind = 'sale') = (quantity > 0)),
        CHECK ((kind = 'credit') = (credit_of_line_id IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE order_tracking_events (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        occurred_at timestamptz NOT NULL,
        status text NOT NULL,
        carrier text,
        tracking_number text,
        location text,
        note text,
        created_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`CREATE UNIQUE INDEX orders_number_key ON orders (number)`);
    // Revenue per customer and per period, and the lists of an account's orders.
    await q.query(
      `CREATE INDEX orders_account_ordered_idx ON orders (account_id, ordered_at) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX orders_ordered_idx ON orders (ordered_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX orders_contact_idx ON orders (contact_id)`);
    await q.query(`CREATE INDEX orders_opportunity_idx ON orders (opportunity_id)`);
    await q.query(`CREATE INDEX orders_quote_idx ON orders (quote_id)`);
    await q.query(`CREATE INDEX orders_status_idx ON orders (status) WHERE deleted_at IS NULL`);
    await q.query(
      `CREATE INDEX orders_created_idx ON orders (created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX orders_owner_idx ON orders (owner_id)`);
    await q.query(`CREATE INDEX orders_team_idx ON orders (team_id)`);
    await q.query(`CREATE INDEX order_lines_order_idx ON order_lines (order_id, line_no)`);
    await q.query(`CREATE INDEX order_lines_product_idx ON order_lines (product_id, booked_at)`);
    await q.query(`CREATE INDEX order_lines_booked_idx ON order_lines (booked_at)`);
    await q.query(`CREATE INDEX order_lines_account_idx ON order_lines (account_id, booked_at)`);
    await q.query(`CREATE INDEX order_lines_credit_idx ON order_lines (credit_of_line_id)`);
    await q.query(
      `CREATE INDEX order_tracking_events_order_idx ON order_tracking_events (order_id, occurred_at, id)`,
    );

    // An order moved to another account (an account merge) takes its lines' copy along.
    await q.query(`
      CREATE FUNCTION order_lines_follow_account() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE order_lines SET account_id = NEW.account_id WHERE order_id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER orders_account_moved AFTER UPDATE OF account_id ON orders
         FOR EACH ROW WHEN (OLD.account_id IS DISTINCT FROM NEW.account_id)
         EXECUTE FUNCTION order_lines_follow_account()`,
    );

    for (const [key, g] of Object.entries(GRANTS)) {
      await q.query(
        `UPDATE roles SET permissions = jsonb_set(permissions, '{entities,orders}', $2::jsonb, true),
                version = version + 1, updated_at = now()
          WHERE key = $1 AND built_in AND NOT (permissions->'entities' ? 'orders')`,
        [key, JSON.stringify(g)],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE roles SET permissions = jsonb_set(permissions, '{entities}', (permissions->'entities') - 'orders') WHERE built_in`,
    );
    await q.query(`DROP TRIGGER orders_account_moved ON orders`);
    await q.query(`DROP FUNCTION order_lines_follow_account()`);
    await q.query(`DROP TABLE order_tracking_events`);
    await q.query(`DROP TABLE order_lines`);
    await q.query(`DROP TABLE orders`);
    await q.query(`DROP SEQUENCE order_number_seq`);
  }
}
