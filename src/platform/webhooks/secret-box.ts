import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';

/**
 * Keeps secrets the server must read back (webhook signing secrets) encrypted at rest when
 * CRM_SECRET_KEY is set: AES-256-GCM with a key derived from it, so a database dump or backup
 * alone does not let anyone forge deliveries. Without a key, values are stored as given and
 * still read after a key is added; encrypted values need the same key to be read.
 */
export class SecretBox {
  private readonly key: Buffer | null;

  constructor(secretKey: string | null) {
    this.key = secretKey
      ? Buffer.from(hkdfSync('sha256', secretKey, 'relasi', 'stored secrets v1', 32))
      : null;
  }

  seal(plain: string): string {
    if (!this.key) return plain;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${[iv, cipher.getAuthTag(), sealed].map((b) => b.toString('base64url')).join('.')}`;
  }

  open(stored: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    if (!this.key) throw new Error('the stored secret is encrypted but CRM_SECRET_KEY is not set');
    const [iv, tag, sealed] = stored
      .slice(PREFIX.length)
      .split('.')
      .map((p) => Buffer.from(p, 'base64url'));
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(
        'the stored secret cannot be decrypted: CRM_SECRET_KEY differs from the one that encrypted it',
      );
    }
  }
}
