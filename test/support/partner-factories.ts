import { randomBytes } from 'node:crypto';
import { invitationToken } from './portal-factories.js';
import type { Auth } from './service-factories.js';
import type { Inbox } from './smtp-inbox.js';
import type { TestServer } from './test-server.js';

export const PARTNER_PASSWORD = 'partner-password-123';

export interface PartnerLogin {
  auth: Auth;
  refreshToken: string;
  email: string;
  userId: string;
}

const unique = () => randomBytes(4).toString('hex');

/** Partner organizations and logged-in partner users in one line each. */
export function partnerFactories(server: TestServer, admin: Auth, box: Inbox) {
  return {
    /** A partner account with a partner profile. */
    async partner(fields: Record<string, unknown> = {}, auth: Auth = admin) {
      const account = await server.http
        .post('/api/v1/accounts')
        .set(admin)
        .send({ name: `Mitra ${unique()}`, type: 'partner' });
      if (account.status !== 201) throw new Error(`account: ${JSON.stringify(account.body)}`);
      const res = await server.http
        .post('/api/v1/partners')
        .set(auth)
        .send({ accountId: account.body.id, tier: 'silver', ...fields });
      if (res.status !== 201) throw new Error(`partner: ${JSON.stringify(res.body)}`);
      return res.body as Record<string, unknown> & {
        id: string;
        version: number;
        accountId: string;
      };
    },
    invite(partnerId: string, body: Record<string, unknown>, auth: Auth = admin) {
      return server.http.post(`/api/v1/partners/${partnerId}/users`).set(auth).send(body);
    },
    /** A new user of `partnerId`, invited, accepted and logged in. */
    async user(partnerId: string): Promise<PartnerLogin> {
      const email = `partner-${unique()}@mitra.example.com`;
      const invited = await this.invite(partnerId, { email, name: 'Sari' });
      if (invited.status !== 201) throw new Error(`invite: ${JSON.stringify(invited.body)}`);
      const token = await invitationToken(box, email);
      const accepted = await server.http
        .post('/api/v1/partner/auth/accept-invitation')
        .send({ token, password: PARTNER_PASSWORD });
      if (accepted.status !== 200) throw new Error(`accept: ${JSON.stringify(accepted.body)}`);
      return {
        email,
        userId: invited.body.id as string,
        auth: { authorization: `Bearer ${accepted.body.accessToken as string}` },
        refreshToken: accepted.body.refreshToken as string,
      };
    },
  };
}

/** A crm.config.yaml part for partner tests. */
export const PARTNERS_YAML = `
partners:
  tiers: [registered, silver, gold]
  baseUrl: https://partners.example.com
  fromAddress: channel@example.com
  invitationTtlHours: 2
  protectionDays: 30
  distribution:
    onLeadCreate: true
    rules:
      - { key: java_gold, countries: [ID], industries: [retail], partnerTiers: [gold] }
      - { key: singapore, countries: [SG] }
`;
