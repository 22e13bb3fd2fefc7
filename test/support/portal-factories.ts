import { randomBytes } from 'node:crypto';
import { eventually } from './sales-factories.js';
import type { Auth } from './service-factories.js';
import { mailsTo, type Inbox } from './smtp-inbox.js';
import type { TestServer } from './test-server.js';

export const PORTAL_PASSWORD = 'portal-password-123';

export interface PortalLogin {
  auth: Auth;
  refreshToken: string;
  email: string;
}

/** The invitation token in the last invitation mail sent to `email`. */
export async function invitationToken(box: Inbox, email: string, after = 0): Promise<string> {
  const mails = await eventually(
    () => Promise.resolve(mailsTo(box, email)),
    (m) => m.length > after,
    15_000,
  );
  const text = mails[mails.length - 1].text ?? '';
  return decodeURIComponent(/token=([^\s]+)/.exec(text)![1]);
}

/** Contacts invited to the portal and logged in, in one line each. */
export function portalFactories(server: TestServer, admin: Auth, box: Inbox) {
  return {
    async invite(contactId: string, auth: Auth = admin) {
      return server.http.post(`/api/v1/contacts/${contactId}/portal-invitation`).set(auth).send({});
    },
    /** A new contact of `accountId` with portal access, logged in. */
    async customer(accountId: string | null): Promise<PortalLogin & { contactId: string }> {
      const email = `portal-${randomBytes(4).toString('hex')}@example.com`;
      const contact = await server.http
        .post('/api/v1/contacts')
        .set(admin)
        .send({ lastName: 'Customer', firstName: 'Dewi', email, accountId });
      if (contact.status !== 201) throw new Error(`contact: ${JSON.stringify(contact.body)}`);
      const invited = await this.invite(contact.body.id as string);
      if (invited.status !== 201) throw new Error(`invite: ${JSON.stringify(invited.body)}`);
      const token = await invitationToken(box, email);
      const accepted = await server.http
        .post('/api/v1/portal/auth/accept-invitation')
        .send({ token, password: PORTAL_PASSWORD });
      if (accepted.status !== 200) throw new Error(`accept: ${JSON.stringify(accepted.body)}`);
      return {
        contactId: contact.body.id as string,
        email,
        auth: { authorization: `Bearer ${accepted.body.accessToken as string}` },
        refreshToken: accepted.body.refreshToken as string,
      };
    },
  };
}
