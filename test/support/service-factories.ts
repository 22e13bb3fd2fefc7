import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSalesConfig } from './sales-factories.js';
import type { TestServer } from './test-server.js';

export type Auth = { authorization: string };
export type CaseRecord = Record<string, unknown> & {
  id: string;
  version: number;
  number: string;
  status: string;
  slaStatus: string | null;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
};

const EVERY_DAY = `{ sun: [["00:00", "24:00"]], mon: [["00:00", "24:00"]], tue: [["00:00", "24:00"]], wed: [["00:00", "24:00"]], thu: [["00:00", "24:00"]], fri: [["00:00", "24:00"]], sat: [["00:00", "24:00"]] }`;

/**
 * A crm.config.yaml for service desk tests: a round-the-clock calendar (business minutes are
 * wall minutes), small attachment limits in a temporary directory, and two SLA policies.
 */
export function writeServiceConfig(name: string, extraSla = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'relasi-attachments-'));
  return writeSalesConfig(
    name,
    `
version: 1
organization: { defaultCurrency: IDR, timeZone: Asia/Jakarta }
customization:
  accounts:
    fields:
      - code: tier
        type: picklist
        label: { en: Tier }
        options: [{ value: gold, label: { en: Gold } }, { value: silver, label: { en: Silver } }]
service:
  categories: [billing, technical, delivery]
  attachments: { directory: ${JSON.stringify(dir)}, maxBytes: 4096, allowedTypes: [application/pdf, image/png, text/plain] }
  calendars:
    always: { timeZone: UTC, hours: ${EVERY_DAY} }
    office: { timeZone: Asia/Jakarta, hours: { mon: [["08:00", "17:00"]], tue: [["08:00", "17:00"]] }, holidays: { country: ID } }
  sla:
    pauseOnHold: false
    policies:
      - key: gold_urgent
        match: { priorities: [urgent], tiers: [gold] }
        calendar: always
        firstResponseMinutes: 30
        resolutionMinutes: 120
        warnBeforeMinutes: 10
        escalation: { notify: true }
      - key: standard
        calendar: always
        firstResponseMinutes: 60
        resolutionMinutes: 480
        warnBeforeMinutes: 30
        escalation: { raisePriority: true, notify: true }
${extraSla}
`,
  );
}

/** Cases in one line each, as `auth` makes them. */
export function caseFactories(server: TestServer, admin: Auth) {
  return {
    async case(fields: Record<string, unknown> = {}, auth: Auth = admin): Promise<CaseRecord> {
      const res = await server.http
        .post('/api/v1/cases')
        .set(auth)
        .send({ subject: 'Printer on fire', ...fields });
      if (res.status !== 201) throw new Error(`case: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as CaseRecord;
    },
    patch(id: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
      return server.http
        .patch(`/api/v1/cases/${id}`)
        .set({ ...admin, ...headers })
        .send(body);
    },
    async get(id: string, auth: Auth = admin): Promise<CaseRecord> {
      return (await server.http.get(`/api/v1/cases/${id}`).set(auth)).body as CaseRecord;
    },
  };
}
