import { createHmac, randomUUID } from 'node:crypto';

/**
 * A provider's signed status report, written from the Standard Webhooks scheme and not from
 * the server's code: HMAC-SHA256 over `id.timestamp.body` keyed with the base64 secret.
 */
export function signStatus(
  secret: string,
  payload: unknown,
  timestamp = Math.floor(Date.now() / 1000),
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(payload);
  const id = `msg_${randomUUID()}`;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    body,
    headers: {
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': `v1,${mac}`,
    },
  };
}
