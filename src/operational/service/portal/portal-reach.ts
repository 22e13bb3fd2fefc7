/**
 * Whether a contact can use the portal now — invited, password set, access not revoked — as
 * a SQL condition over `contactId` (a column or parameter). Other modules ask it to choose a
 * channel (the portal or e-mail) without knowing how portal access is stored.
 */
export function portalReachSql(contactId: string): string {
  return `EXISTS (SELECT 1 FROM portal_users pu WHERE pu.contact_id = ${contactId}
            AND pu.revoked_at IS NULL AND pu.password_hash IS NOT NULL)`;
}
