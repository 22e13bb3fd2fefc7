/**
 * The demo data `relasi seed-demo` creates: Indonesian companies with their people, open deals
 * in the default pipeline, logged calls and web leads. A fixed seed makes every run of one
 * scale produce the same records, so a demo can be rehearsed.
 */
export interface DemoBatch {
  /** The API resource the items are posted to in bulk, e.g. `accounts`. */
  resource: string;
  items: Record<string, unknown>[];
  /** Receives the new records' ids, in the items' order, before the next batch is built. */
  created(ids: string[]): void;
}

const COMPANY_WORDS = ['Sinar', 'Maju', 'Karya', 'Mitra', 'Cahaya', 'Bumi', 'Nusa', 'Sentosa'];
const COMPANY_TAILS = ['Jaya', 'Abadi', 'Makmur', 'Perkasa', 'Lestari', 'Sejahtera', 'Mandiri'];
const INDUSTRIES = ['retail', 'manufacturing', 'logistics', 'hospitality', 'agriculture', 'media'];
const ACCOUNT_TYPES = ['customer', 'prospect', 'partner'];
const FIRST_NAMES = ['Sari', 'Budi', 'Dewi', 'Agus', 'Rina', 'Hendra', 'Putri', 'Joko', 'Wulan'];
const LAST_NAMES = ['Wijaya', 'Santoso', 'Pratama', 'Halim', 'Kusuma', 'Siregar', 'Nasution'];
const OPEN_STAGES = ['qualification', 'needs_analysis', 'proposal', 'negotiation'];
const OUTCOMES = ['connected', 'left_voicemail', 'no_answer', 'connected', 'connected'];
const LEAD_SOURCES = ['web', 'referral', 'event', 'campaign', 'phone'];
const LEAD_RATINGS = ['hot', 'warm', 'cold'];

/** mulberry32: small, fast and good enough to vary demo data reproducibly. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '');

/** Per unit of scale: 10 accounts, 20 contacts, 10 opportunities, 20 calls and 10 leads. */
export function* demoRecords(scale: number, maxBatch = 200): Generator<DemoBatch> {
  const random = seededRandom(20_260_101 + scale);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const today = new Date();
  const dayOffset = (days: number) =>
    new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);

  const accounts = Array.from({ length: 10 * scale }, (_, i) => ({
    name: `PT ${pick(COMPANY_WORDS)} ${pick(COMPANY_TAILS)} ${i + 1}`,
    type: pick(ACCOUNT_TYPES),
    industry: pick(INDUSTRIES),
  }));
  const accountIds: string[] = [];
  for (const items of chunks(accounts, maxBatch))
    yield { resource: 'accounts', items, created: (ids) => accountIds.push(...ids) };

  const person = (n: number, domain: string) => {
    const firstName = pick(FIRST_NAMES);
    const lastName = pick(LAST_NAMES);
    return { firstName, lastName, email: `${slug(firstName)}.${slug(lastName)}.${n}@${domain}` };
  };
  const domainOf = (i: number) => `${slug(accounts[i].name)}.co.id`;
  const contacts = accountIds.flatMap((accountId, i) =>
    [0, 1].map((k) => ({ ...person(2 * i + k + 1, domainOf(i)), accountId })),
  );
  for (const items of chunks(contacts, maxBatch))
    yield { resource: 'contacts', items, created: () => undefined };

  const opportunities = accountIds.map((accountId, i) => ({
    name: `${accounts[i].name}: ${pick(['Annual supply', 'Fleet renewal', 'Pilot project', 'Expansion'])}`,
    accountId,
    // Whole thousands of rupiah with cents, as quotes are written.
    amount: { amount: `${(5 + Math.floor(random() * 995)) * 1_000_000}.00`, currency: 'IDR' },
    stage: pick(OPEN_STAGES),
    expectedCloseDate: dayOffset(7 + Math.floor(random() * 120)),
  }));
  for (const items of chunks(opportunities, maxBatch))
    yield { resource: 'opportunities', items, created: () => undefined };

  const calls = accountIds.flatMap((relatedId, i) =>
    [0, 1].map((k) => ({
      type: 'call',
      subject: k === 0 ? 'Intro call' : 'Follow-up on the proposal',
      status: 'completed',
      direction: 'outbound',
      outcome: pick(OUTCOMES),
      startsAt: new Date(today.getTime() - (i + 1) * (k + 1) * 3_600_000).toISOString(),
      relatedEntity: 'accounts',
      relatedId,
    })),
  );
  for (const items of chunks(calls, maxBatch))
    yield { resource: 'activities', items, created: () => undefined };

  const leads = Array.from({ length: 10 * scale }, (_, i) => {
    const company = `CV ${pick(COMPANY_WORDS)} ${pick(COMPANY_TAILS)} ${i + 1}`;
    return {
      ...person(i + 1, `${slug(company)}.id`),
      company,
      source: pick(LEAD_SOURCES),
      rating: pick(LEAD_RATINGS),
    };
  });
  for (const items of chunks(leads, maxBatch))
    yield { resource: 'leads', items, created: () => undefined };
}
