import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { AppError } from '#platform/http/index.js';

/**
 * The survey link's token: the survey id, signed with HMAC-SHA256 under a key derived from the
 * server's token secret, so a link cannot be turned into another case's survey. Expiry and
 * the one answer are kept with the survey, so they can be told apart (410 / 409).
 */
export class CsatTokens {
  constructor(private readonly key: () => Promise<KeyObject>) {}

  async sign(surveyId: string): Promise<string> {
    const body = Buffer.from(surveyId).toString('base64url');
    return `${body}.${await this.mac(body)}`;
  }

  /** The survey id of a token this server signed; 404 for anything else. */
  async verify(token: string): Promise<string> {
    const invalid = new AppError('csat_link_invalid');
    const [body, mac, ...rest] = token.length <= 200 ? token.split('.') : [];
    if (!body || !mac || rest.length) throw invalid;
    const expected = Buffer.from(await this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid;
    return Buffer.from(body, 'base64url').toString('utf8');
  }

  private async mac(body: string): Promise<string> {
    return createHmac('sha256', await this.key())
      .update(`csat:${body}`)
      .digest('base64url');
  }
}
