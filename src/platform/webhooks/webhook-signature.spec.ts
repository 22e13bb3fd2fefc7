import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { SecretBox } from './secret-box.js';
import { newWebhookSecret, signatureHeader, signWebhook } from './webhook-signature.js';

describe('webhook signatures (Standard Webhooks)', () => {
  const body = JSON.stringify({ id: 'evt_1', type: 'contact.created', data: { a: 1 } });
  const id = '0192f3a1-6b1d-7d41-9a55-3f1f0c9b8e10';

  it('makes secrets in the whsec_ format with 32 random bytes', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('signs HMAC-SHA256 over id.timestamp.body with the decoded secret', () => {
    const secret = newWebhookSecret();
    const timestamp = 1_767_225_600;
    const expected = createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
      .update(`${id}.${timestamp}.${body}`)
      .digest('base64');
    expect(signWebhook(secret, id, timestamp, body)).toBe(`v1,${expected}`);
  });

  it('verifies with the standardwebhooks library, each of two secrets during a rotation', () => {
    const [oldSecret, newSecret] = [newWebhookSecret(), newWebhookSecret()];
    const timestamp = Math.floor(Date.now() / 1000);
    const header = signatureHeader([newSecret, oldSecret], id, timestamp, body);
    expect(header.split(' ')).toHaveLength(2);
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': header,
    };
    expect(new Webhook(newSecret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(oldSecret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(newSecret).verify(`${body} `, headers)).toThrow();
  });
});

describe('SecretBox', () => {
  it('stores as given without a key', () => {
    const box = new SecretBox(null);
    expect(box.seal('whsec_abc')).toBe('whsec_abc');
    expect(box.open('whsec_abc')).toBe('whsec_abc');
  });

  it('encrypts with a key, reads plain values stored before the key, refuses a wrong key', () => {
    const box = new SecretBox('k'.repeat(40));
    const sealed = box.seal('whsec_abc');
    expect(sealed).toMatch(/^enc:v1:/);
    expect(sealed).not.toContain('abc');
    expect(box.seal('whsec_abc')).not.toBe(sealed);
    expect(box.open(sealed)).toBe('whsec_abc');
    expect(box.open('whsec_plain')).toBe('whsec_plain');
    expect(() => new SecretBox('x'.repeat(40)).open(sealed)).toThrow(/CRM_SECRET_KEY/);
    expect(() => new SecretBox(null).open(sealed)).toThrow(/CRM_SECRET_KEY/);
  });
});
