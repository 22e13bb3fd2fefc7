/** Lets a mail relay's API key post messages to `/inbound/email` and call nothing else. */
export const INBOUND_EMAIL_SCOPE = 'inbound-email';

export const SERVICE_API_KEY_SCOPES = [INBOUND_EMAIL_SCOPE] as const;
