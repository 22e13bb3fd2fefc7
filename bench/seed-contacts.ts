import type pg from 'pg';

/**
 * Bulk data for the benchmark, written with plain SQL (generate_series) because going through
 * the API would take longer than the benchmark itself. The derived columns follow the
 * contacts and accounts services: `name_key` is the lower-cased name (the seed uses ASCII
 * names, so stripping accents changes nothing), `email_keys` the lower-cased emails,
 * `phone_keys` the digits of each number. The random generator is seeded, so every run
 * builds the same data.
 */

/** Words of a template literal, split on whitespace (or on `separator`), blanks dropped. */
function list(text: string, separator: string | RegExp = /\s+/): string[] {
  return text
    .split(separator)
    .map((w) => w.trim())
    .filter(Boolean);
}

// Ordered by frequency: the seed draws index ⌊n·u²⌋, so names early in the list are the most
// common (Wijaya about 7.6 %), as family names are in life.
const LAST_NAMES = list(`
  Wijaya Santoso Susanto Halim Gunawan Tanoto Hartono Kusuma Salim Setiawan Pratama Saputra
  Hidayat Nugroho Siregar Nasution Simanjuntak Lubis Harahap Sitompul Panjaitan Hutapea Sinaga
  Tambunan Pardede Manurung Situmorang Sihombing Wibowo Suryadi Kurniawan Permana Purnomo
  Rahardjo Sutanto Tanjung Chandra Lim Tan Wong Liem Ong Lee Kim Nguyen Tran Pham Smith
  Johnson Williams Brown Jones Miller Davis Garcia Rodriguez Martinez Hernandez Lopez Gonzalez
  Wilson Anderson Thomas Taylor Moore Jackson Martin Thompson White Harris Clark Lewis
  Robinson Walker Young Allen King Wright Scott Green Baker Adams Nelson Hill Campbell
  Mitchell Roberts Carter Phillips Evans Turner Torres Parker Collins Edwards Stewart Morris
  Murphy Cook Rogers Morgan Peterson Cooper Reed Bailey Bell Gomez Kelly Howard Ward Cox Diaz
  Richardson Wood Watson Brooks Bennett Gray James Reyes Cruz Hughes Price Myers Long Foster
  Sanders Ross Morales Powell Sullivan Russell Ortiz Jenkins Gutierrez Perry Butler Barnes
  Fisher Henderson Coleman Simmons Patterson Jordan Reynolds Hamilton Graham Kusnadi Effendi
  Hakim Rahman Yusuf Ibrahim Hasan Abdullah Putra Putri Utomo Sulistyo Wahyudi Prasetyo
  Firmansyah Ramadhan Hendrawan Darmawan Budiman Iskandar Sudirman Widjaja Lesmana
`);

const FIRST_NAMES = list(`
  Sari Budi Dewi Agus Rina Andi Putu Made Ketut Wayan Siti Ahmad Dian Eko Fitri Hendra Indra
  Joko Kartika Lestari Maya Nur Oka Rizky Sinta Teguh Utami Vina Wulan Yanti Yudi Anita Bayu
  Citra Dimas Erlangga Fajar Gita Hana Irfan Januar Kevin Linda Michael Nadia Olivia Peter
  Quinn Rachel Steven Tiffany Vincent William Xavier Yohanes Zahra John Mary David Sarah James
  Emma Daniel Sophia Thomas Grace Wei Mei Hiroshi Yuki Minh Linh
`);

const TITLES = list(
  `
  Director, Head of Procurement, Finance Manager, Purchasing Officer, Owner,
  Operations Manager, IT Manager, Marketing Lead, Sales Manager, Account Executive, CFO, CEO,
  HR Manager, Project Manager, Engineer, Analyst, Consultant,
`,
  ',',
);

const DEPARTMENTS = list(
  `
  Procurement, Finance, Operations, IT, Marketing, Sales, HR, Management, Engineering, Legal,
  Customer Service,
`,
  ',',
);

const COMPANY_WORDS = list(`
  Sinar Jaya Maju Abadi Sentosa Makmur Mandiri Sejahtera Nusantara Karya Mitra Prima Utama
  Global Indo Bumi Cahaya Harapan Berkah Lestari Teknik Niaga Persada Gemilang
`);

const INDUSTRIES = list(`
  retail manufacturing banking logistics hospitality healthcare education construction
  agriculture telecommunications energy government
`);

const FREE_MAIL = list(`
  gmail.com yahoo.co.id outlook.com hotmail.com ymail.com
`);

const LIFECYCLE = list(`
  subscriber lead lead lead marketing_qualified sales_qualified opportunity customer customer
  customer evangelist other
`);

function literal(values: readonly string[]): string {
  return `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]::text[]`;
}

/** Element of a SQL text array chosen uniformly, or skewed toward the front with `power`. */
function pick(values: readonly string[], power = 1): string {
  const u = power === 1 ? 'random()' : `power(random(), ${power})`;
  return `(${literal(values)})[1 + floor(${u} * ${values.length})::int]`;
}

export interface SeedResult {
  contacts: number;
  accounts: number;
  seconds: number;
  /** The most common last name and how many contacts carry it. */
  commonLastName: string;
  commonLastNameCount: number;
}

export async function seedContacts(
  db: pg.Client,
  options: { contacts: number; accounts: number; ownerId: string },
): Promise<SeedResult> {
  const started = Date.now();
  const { ownerId } = options;
  await db.query('SELECT setseed(0.4242)');
  await db.query('BEGIN');
  await db.query(
    `WITH s AS MATERIALIZED (
       SELECT i,
              ${pick(COMPANY_WORDS)} || ' ' || ${pick(COMPANY_WORDS)} AS words,
              CASE WHEN random() < 0.7 THEN 'PT' ELSE 'CV' END AS form,
              now() - random() * interval '5 years' AS created,
              '+62 21 ' || (5000000 + floor(random() * 4999999))::int AS phone
         FROM generate_series(1, $1::int) i)
     INSERT INTO accounts (id, name, type, industry, website, phones, owner_id, name_key,
                           phone_keys, created_by_id, updated_by_id, created_at, updated_at)
     SELECT uuidv7(created - clock_timestamp()),
            form || ' ' || words || ' ' || i,
            ${pick(['customer', 'customer', 'prospect', 'prospect', 'partner', 'competitor'])},
            ${pick(INDUSTRIES)},
            'https://' || lower(replace(words, ' ', '')) || i || '.co.id',
            jsonb_build_array(jsonb_build_object('number', phone, 'label', 'work')),
            $2::uuid,
            lower(form || ' ' || words || ' ' || i),
            ARRAY[regexp_replace(phone, '\\D', '', 'g')],
            $2::uuid, $2::uuid, created, created + random() * (now() - created)
       FROM s`,
    [options.accounts, ownerId],
  );
  // Websites by account number in a table, not an array: finding the n-th element of an
  // array of texts walks the array, which at 200,000 accounts costs more than the rest.
  await db.query(
    `CREATE TEMP TABLE account_sites ON COMMIT DROP AS
       SELECT row_number() OVER (ORDER BY id)::int AS n, website FROM accounts`,
  );
  await db.query('CREATE INDEX ON account_sites (n)');
  await db.query('ANALYZE account_sites');
  await db.query(
    `WITH a AS MATERIALIZED (SELECT array_agg(id ORDER BY id) AS ids FROM accounts),
     s AS MATERIALIZED (
       SELECT i,
              CASE WHEN random() < 0.05 THEN NULL ELSE ${pick(FIRST_NAMES)} END AS first_name,
              ${pick(LAST_NAMES, 2)} AS last_name,
              CASE WHEN random() < 0.6 THEN 1 + floor(random() * cardinality(a.ids))::int END AS acc,
              random() AS mail,
              CASE WHEN random() < 0.7
                   THEN '+62 8' || (11 + floor(random() * 48))::int || '-' ||
                        lpad((floor(random() * 10000))::int::text, 4, '0') || '-' ||
                        lpad((floor(random() * 10000))::int::text, 4, '0') END AS phone,
              now() - random() * interval '3 years' AS created
         FROM generate_series(1, $1::int) i, a),
     t AS MATERIALIZED (
       SELECT s.*, a.ids[acc] AS account_id,
              CASE WHEN mail < 0.08 THEN NULL
                   ELSE lower(coalesce(first_name || '.', '') || last_name) || '.' || i || '@' ||
                        CASE WHEN acc IS NOT NULL AND mail < 0.7
                             THEN regexp_replace(w.website, '^https://', '')
                             ELSE ${pick(FREE_MAIL)} END END AS email
         FROM s CROSS JOIN a LEFT JOIN account_sites w ON w.n = s.acc)
     INSERT INTO contacts (id, first_name, last_name, email, phones, account_id, title, department,
                           preferred_language, time_zone, lifecycle_stage, owner_id, name_key,
                           email_keys, phone_keys, created_by_id, updated_by_id, created_at,
                           updated_at)
     SELECT uuidv7(created - clock_timestamp()), first_name, last_name, email,
            CASE WHEN phone IS NULL THEN '[]'::jsonb
                 ELSE jsonb_build_array(jsonb_build_object('number', phone, 'label', 'mobile')) END,
            account_id,
            CASE WHEN random() < 0.8 THEN ${pick(TITLES)} END,
            CASE WHEN random() < 0.6 THEN ${pick(DEPARTMENTS)} END,
            CASE WHEN random() < 0.7 THEN 'id' ELSE 'en' END,
            'Asia/Jakarta',
            ${pick(LIFECYCLE)},
            $2::uuid,
            lower(coalesce(first_name || ' ', '') || last_name),
            CASE WHEN email IS NULL THEN '{}'::text[] ELSE ARRAY[lower(email)] END,
            CASE WHEN phone IS NULL THEN '{}'::text[]
                 ELSE ARRAY[regexp_replace(phone, '\\D', '', 'g')] END,
            $2::uuid, $2::uuid, created, created + random() * (now() - created)
       FROM t`,
    [options.contacts, ownerId],
  );
  await db.query('COMMIT');
  await db.query('ANALYZE accounts');
  await db.query('ANALYZE contacts');
  const { rows } = await db.query<{ last_name: string; n: string }>(
    `SELECT last_name, count(*) AS n FROM contacts GROUP BY last_name ORDER BY n DESC LIMIT 1`,
  );
  return {
    contacts: options.contacts,
    accounts: options.accounts,
    seconds: (Date.now() - started) / 1000,
    commonLastName: rows[0].last_name,
    commonLastNameCount: Number(rows[0].n),
  };
}
