import { Inject, Injectable } from '@nestjs/common';
import { ENV } from '#platform/config/config.tokens.js';
import type { Env } from '#platform/config/env.js';
import { RequestContext } from '#platform/context/request-context.js';
import { DatabaseService } from '#platform/database/database.service.js';
import { UUID_PATTERN } from '#platform/database/uuid7.js';

/** Past this many remembered sessions the memory starts over; lookups refill it. */
const MAX_REMEMBERED = 10_000;

/**
 * Whether the session an access token belongs to (its refresh-token family, the `sid` claim)
 * is still open. The revocation lives in PostgreSQL, so a logout in one process ends the
 * session's access tokens in every process: at once in the process that logged out, within
 * CRM_PRINCIPAL_CACHE_TTL_MS in the others. An open session is remembered for that long; an
 * ended one for good, since a session never reopens.
 */
@Injectable()
export class SessionRevocations {
  private readonly open = new Map<string, number>();
  private readonly ended = new Set<string>();

  constructor(
    private readonly db: DatabaseService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async isOpen(sessionId: string): Promise<boolean> {
    if (!UUID_PATTERN.test(sessionId) || this.ended.has(sessionId)) return false;
    const now = Date.now();
    const until = this.open.get(sessionId);
    if (until !== undefined && until > now) return true;
    const row = await this.db.one<{ open: boolean }>(
      RequestContext.system(),
      `SELECT EXISTS (SELECT 1 FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NULL) AS open`,
      [sessionId],
    );
    const open = row?.open === true;
    if (!open) this.rememberEnded(sessionId);
    else if (this.env.principalCacheTtlMs > 0) {
      if (this.open.size >= MAX_REMEMBERED) this.open.clear();
      this.open.set(sessionId, now + this.env.principalCacheTtlMs);
    }
    return open;
  }

  /** The session was just ended here: its tokens stop working in this process right away. */
  markEnded(sessionId: string): void {
    this.open.delete(sessionId);
    this.rememberEnded(sessionId);
  }

  /** Sessions were ended without naming them (all of a user's): ask the database again. */
  forgetOpen(): void {
    this.open.clear();
  }

  private rememberEnded(sessionId: string): void {
    if (this.ended.size >= MAX_REMEMBERED) this.ended.clear();
    this.ended.add(sessionId);
  }
}
