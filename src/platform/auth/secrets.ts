import { createHash, randomBytes } from 'node:crypto';

/** Opaque secrets (refresh tokens, API keys) are long and random, so SHA-256 is enough to store them. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export const API_KEY_PREFIX = 'rls_';
