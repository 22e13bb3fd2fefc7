/** Lets a key embedded in a public web form post leads to `/leads/capture` and call nothing else. */
export const LEAD_CAPTURE_SCOPE = 'lead-capture';

/** The API key scopes the leads feature defines; registered at boot by the application root. */
export const LEAD_API_KEY_SCOPES = [LEAD_CAPTURE_SCOPE] as const;
