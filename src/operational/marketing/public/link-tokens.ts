import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '#platform/http/index.js';

/** What a link in a message lets its holder do. */
export type LinkPurpose = 'preferences' | 'unsubscribe' | 'open' | 'click';

export interface LinkClaims {
  purpose: LinkPurpose;
  contactId: string;
  /** The message the link was in, when it was in one. */
  messageId: string | null;
  /** For a click: the index of the URL among the message's links. */
  link?: number;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

interface Packed {
  p: string;
  c: string;
  m?: string;
  l?: number;
  e: number;
}

const PURPOSE_CODES: Record<LinkPurpose, string> = {
  preferences: 'p',
  unsubscribe: 'u',
  open: 'o',
  click: 'c',
};

/**
 * Signed, expiring links for the people messages go to: the claims travel in the link itself,
 * signed with HMAC-SHA256, so checking one needs no database and a link cannot be turned into
 * another contact's or another purpose's. Lost secrets are changed by changing the key: every
 * link then stops working at once.
 */
export class LinkTokens {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('the link signing key must have at least 32 bytes');
  }

  sign(claims: LinkClaims): string {
    const packed: Packed = { p: PURPOSE_CODES[claims.purpose], c: claims.contactId, e: claims.exp };
    if (claims.messageId) packed.m = claims.messageId;
    if (claims.link !== undefined) packed.l = claims.link;
    const body = Buffer.from(JSON.stringify(packed)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /**
   * The claims of a link made for `purpose`: 404 for anything not signed by this server for
   * that purpose, 410 for one that was but has expired.
   */
  verify(token: string, purpose: LinkPurpose, now = new Date()): LinkClaims {
    const invalid = () => new AppError('marketing_link_invalid');
    if (token.length > 1000) throw invalid();
    const [body, mac, ...rest] = token.split('.');
    if (!body || !mac || rest.length > 0) throw invalid();
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid();
    let packed: Packed;
    try {
      packed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Packed;
    } catch {
      throw invalid();
    }
    if (packed.p !== PURPOSE_CODES[purpose]) throw invalid();
    if (packed.e * 1000 <= now.getTime()) {
      const expiredAt = new Date(packed.e * 1000).toISOString();
      throw new AppError('marketing_link_expired', { expiredAt }, undefined, { expiredAt });
    }
    return {
      purpose,
      contactId: packed.c,
      messageId: packed.m ?? null,
      ...(packed.l !== undefined ? { link: packed.l } : {}),
      exp: packed.e,
    };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
