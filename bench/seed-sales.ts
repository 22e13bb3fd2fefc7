import type pg from 'pg';
import { forecastCategoryOf } from '#operational/sales/forecasts/forecast-category.js';
import { COMPACT_BOARD_SQL } from '#operational/sales/opportunities/opportunity-board-compaction.js';
import { DEFAULT_PIPELINE } from '#operational/sales/pipelines/default-pipeline.js';
import { FORECASTING_CONFIG } from '#operational/sales/forecasts/forecasting.config.js';
import { DEFAULT_PLATFORM_SETTINGS } from '#platform/config/crm-config.js';

/**
 * Sales data for the benchmark, written with SQL (generate_series) on top of the seeded
 * accounts and contacts: reps in teams who own the customers, leads, opportunities in the
 * default pipeline with their current stage stay, and activities about contacts,
 * opportunities and leads — with the timeline entries the API would have written for each
 * (an activity on its record and that record's account; a stage on its opportunity, account
 * and primary contact). The random generator is seeded, so every run builds the same data.
 */

export const SALES_REP_ROLE_ID = '0192f000-0000-7000-8000-000000000003';

export interface SalesSeed {
  teams: number;
  reps: number;
  leads: number;
  opportunities: number;
  activities: number;
  timelineEntries: number;
  seconds: number;
}

const STAGES = DEFAULT_PIPELINE.stages;
/** Each stage's forecast category by the same rule the API applies, with the default thresholds. */
const CATEGORIES = STAGES.map((s) =>
  forecastCategoryOf(
    { kind: s.kind, stageCategory: null, probability: s.probability, override: null },
    FORECASTING_CONFIG.resolve(undefined, DEFAULT_PLATFORM_SETTINGS),
  ),
);
const array = (values: readonly (string | number)[]) =>
  `ARRAY[${values.map((v) => (typeof v === 'number' ? String(v) : `'${v}'`)).join(', ')}]`;

export async function seedSales(
  db: pg.Client,
  options: {
    teams: number;
    repsPerTeam: number;
    leads: number;
    opportunities: number;
    activities: number;
    adminId: string;
  },
): Promise<SalesSeed> {
  const started = Date.now();
  await db.query('SELECT setseed(0.2026)');
  await db.query('BEGIN');
  // Reps sign in with the admin's password: the benchmark logs in as one of them.
  await db.query(
    `INSERT INTO teams (id, name) SELECT uuidv7(), 'Team ' || t FROM generate_series(1, $1::int) t`,
    [options.teams],
  );
  await db.query(
    `WITH t AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM teams),
          u AS (SELECT uuidv7() AS id, t.id AS team_id, t.n, r
                  FROM t, generate_series(1, $1::int) r),
          ins AS (INSERT INTO users (id, email, email_normalized, last_name, password_hash, role_id)
                  SELECT u.id, 'rep' || u.n || '-' || u.r || '@bench.example.com',
                         'rep' || u.n || '-' || u.r || '@bench.example.com', 'Rep ' || u.n || '-' || u.r,
                         (SELECT password_hash FROM users WHERE id = $2), $3
                    FROM u RETURNING id)
     INSERT INTO team_members (team_id, user_id) SELECT team_id, id FROM u`,
    [options.repsPerTeam, options.adminId, SALES_REP_ROLE_ID],
  );
  // Customers belong to reps, so a rep's scope covers their team's share.
  const reps = `(SELECT array_agg(user_id ORDER BY user_id) AS ids, array_agg(team_id ORDER BY user_id) AS teams FROM team_members)`;
  for (const table of ['accounts', 'contacts']) {
    await db.query(
      `UPDATE ${table} x SET owner_id = r.ids[1 + abs(hashtext(x.id::text)) % cardinality(r.ids)],
                             team_id = r.teams[1 + abs(hashtext(x.id::text)) % cardinality(r.ids)]
         FROM ${reps} r`,
    );
  }
  await db.query(
    `WITH s AS MATERIALIZED (
       SELECT i, random() AS pick, now() - random() * interval '2 years' AS created
         FROM generate_series(1, $1::int) i)
     INSERT INTO leads (id, first_name, last_name, email, company, industry, source, status, rating,
                        score, owner_id, team_id, name_key, email_key, created_at, updated_at)
     SELECT uuidv7(created - clock_timestamp()), 'First' || i, 'Lead' || i, 'lead' || i || '@example.com',
            'PT Prospect ' || (i % 5000), (ARRAY['retail','manufacturing','finance','health'])[1 + i % 4],
            (ARRAY['web','email','phone','referral','event'])[1 + i % 5],
            (ARRAY['new','working','nurturing','qualified','unqualified'])[1 + i % 5],
            (ARRAY['hot','warm','cold'])[1 + i % 3], i % 100,
            r.ids[k], r.teams[k], lower('first' || i || ' lead' || i || ' pt prospect ' || (i % 5000)),
            'lead' || i || '@example.com', created, created
       FROM s, ${reps} r, LATERAL (SELECT 1 + floor(s.pick * cardinality(r.ids))::int AS k) pick`,
    [options.leads],
  );
  await db.query(
    `CREATE TEMP TABLE contact_pool ON COMMIT DROP AS
       SELECT row_number() OVER (ORDER BY id) AS n, id, account_id, owner_id, team_id
         FROM contacts WHERE account_id IS NOT NULL`,
  );
  await db.query(
    `WITH s AS MATERIALIZED (
       SELECT i, 1 + floor(random() * (SELECT count(*) FROM contact_pool))::int AS c,
              1 + floor(random() * ${STAGES.length})::int AS st,
              now() - random() * interval '1 year' AS created,
              random() AS u
         FROM generate_series(1, $1::int) i)
     INSERT INTO opportunities (id, name, account_id, primary_contact_id, amount_amount, amount_currency,
                                probability, expected_close_date, pipeline, stage, status,
                                stage_changed_at, closed_at, lost_reason, forecast_category, owner_id, team_id,
                                created_at, updated_at)
     SELECT uuidv7(s.created - clock_timestamp()), 'Deal ' || s.i, p.account_id, p.id,
            round((1000000 + s.u * 999000000)::numeric, 2), CASE WHEN s.u < 0.8 THEN 'IDR' ELSE 'USD' END,
            (${array(STAGES.map((x) => x.probability))})[s.st],
            (s.created + random() * interval '200 days')::date, '${DEFAULT_PIPELINE.key}',
            (${array(STAGES.map((x) => x.key))})[s.st], (${array(STAGES.map((x) => x.kind))})[s.st],
            s.created, CASE WHEN (${array(STAGES.map((x) => x.kind))})[s.st] <> 'open' THEN s.created END,
            CASE WHEN (${array(STAGES.map((x) => x.kind))})[s.st] = 'lost' THEN 'price' END,
            (${array(CATEGORIES)})[s.st],
            p.owner_id, p.team_id, s.created, s.created
       FROM s JOIN contact_pool p ON p.n = s.c`,
    [options.opportunities],
  );
  await db.query(
    `INSERT INTO opportunity_stage_history (id, opportunity_id, pipeline, stage, status, probability,
                                            amount_amount, amount_currency, entered_at, actor_id)
     SELECT uuidv7(), id, pipeline, stage, status, probability, amount_amount, amount_currency,
            stage_changed_at, owner_id FROM opportunities`,
  );
  await db.query(
    `INSERT INTO timeline_entries (id, subject_entity, subject_id, source_entity, source_id, entry_key,
                                   type, occurred_at, title, data, actor_id)
     SELECT uuidv7(), subj.entity, subj.id, 'opportunities', o.id, 'stage:' || h.id, 'stage_change',
            h.entered_at, o.name || ' opened in ' || o.stage,
            jsonb_build_object('pipeline', o.pipeline, 'stage', o.stage, 'status', o.status), o.owner_id
       FROM opportunities o JOIN opportunity_stage_history h ON h.opportunity_id = o.id,
            LATERAL (VALUES ('opportunities', o.id), ('accounts', o.account_id),
                            ('contacts', o.primary_contact_id)) AS subj (entity, id)
      WHERE subj.id IS NOT NULL`,
  );
  // 70 % about contacts, 20 % about opportunities, 10 % about leads.
  await db.query(
    `CREATE TEMP TABLE opportunity_pool ON COMMIT DROP AS
       SELECT row_number() OVER (ORDER BY id) AS n, id, account_id, owner_id, team_id FROM opportunities`,
  );
  await db.query(
    `CREATE TEMP TABLE lead_pool ON COMMIT DROP AS
       SELECT row_number() OVER (ORDER BY id) AS n, id, owner_id, team_id FROM leads`,
  );
  await db.query(
    `CREATE TEMP TABLE activity_seed ON COMMIT DROP AS
     WITH s AS MATERIALIZED (
       SELECT i, random() AS kind, random() AS pick, random() AS st,
              now() - random() * interval '2 years' AS at,
              (ARRAY['task','call','meeting','email','note'])[1 + floor(random() * 5)::int] AS type
         FROM generate_series(1, $1::int) i)
     SELECT uuidv7(s.at - clock_timestamp()) AS id, s.*,
            type IN ('note', 'email') OR st < 0.8 AS done,
            CASE WHEN kind < 0.7 THEN 'contacts' WHEN kind < 0.9 THEN 'opportunities' ELSE 'leads' END AS entity,
            coalesce(c.id, o.id, l.id) AS related_id, coalesce(c.account_id, o.account_id) AS account_id,
            coalesce(c.owner_id, o.owner_id, l.owner_id) AS owner_id,
            coalesce(c.team_id, o.team_id, l.team_id) AS team_id
       FROM s
       LEFT JOIN contact_pool c ON s.kind < 0.7 AND c.n = 1 + floor(s.pick * (SELECT count(*) FROM contact_pool))::int
       LEFT JOIN opportunity_pool o ON s.kind >= 0.7 AND s.kind < 0.9 AND o.n = 1 + floor(s.pick * (SELECT count(*) FROM opportunity_pool))::int
       LEFT JOIN lead_pool l ON s.kind >= 0.9 AND l.n = 1 + floor(s.pick * (SELECT count(*) FROM lead_pool))::int`,
    [options.activities],
  );
  await db.query(
    `INSERT INTO activities (id, type, subject, status, priority, direction, due_at, completed_at,
                             occurred_at, related_entity, related_id, owner_id, team_id,
                             created_at, updated_at)
     SELECT id, type, initcap(type) || ' ' || i, CASE WHEN done THEN 'completed' ELSE 'planned' END,
            'normal', CASE WHEN type IN ('call', 'email') THEN 'outbound' END,
            CASE WHEN type = 'task' THEN at END, CASE WHEN done THEN at END,
            at, entity, related_id, owner_id, team_id, at, at
       FROM activity_seed`,
  );
  await db.query(
    `INSERT INTO timeline_entries (id, subject_entity, subject_id, source_entity, source_id, type,
                                   occurred_at, title, data, actor_id)
     SELECT uuidv7(), subj.entity, subj.id, 'activities', a.id, a.type, a.at,
            initcap(a.type) || ' ' || a.i,
            jsonb_build_object('status', CASE WHEN a.done THEN 'completed' ELSE 'planned' END,
                               'relatedEntity', a.entity, 'relatedId', a.related_id), a.owner_id
       FROM activity_seed a,
            LATERAL (VALUES (a.entity, a.related_id), ('accounts', a.account_id)) AS subj (entity, id)
      WHERE subj.id IS NOT NULL`,
  );
  await db.query('COMMIT');
  // As the server's scheduled job would within a minute: one row per board group.
  await db.query(COMPACT_BOARD_SQL);
  for (const table of [
    'opportunity_board_deltas',
    'accounts',
    'contacts',
    'leads',
    'opportunities',
    'opportunity_stage_history',
    'activities',
    'timeline_entries',
  ])
    await db.query(`VACUUM ANALYZE ${table}`);
  const count = async (table: string) =>
    Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  return {
    teams: options.teams,
    reps: options.teams * options.repsPerTeam,
    leads: await count('leads'),
    opportunities: await count('opportunities'),
    activities: await count('activities'),
    timelineEntries: await count('timeline_entries'),
    seconds: (Date.now() - started) / 1000,
  };
}
