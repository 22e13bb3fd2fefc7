import type { Logger } from '@nestjs/common';
import type pg from 'pg';

const noop = (): void => undefined;

export interface ChannelListenerOptions {
  /** The session's application_name, as operators see it in pg_stat_activity. */
  name: string;
  channel: string;
  onNotify: (payload: string | undefined) => void;
  /** Called once when an open session is lost; notifications may have been missed. */
  onLost?: () => void;
  logger: Logger;
}

/**
 * A session of its own (not a pool slot, and past a transaction-mode pooler) that LISTENs on
 * one channel, so a process learns at once of what another committed. A lost session (a
 * database restart, a failover) is dropped and reopened by the next `ensure()`, which its
 * owner calls from its poll: the poll is also what finds the work notified meanwhile.
 */
export class ChannelListener {
  private client: pg.Client | null = null;
  private opening: Promise<boolean> | null = null;
  private failing = false;
  private lastError: Error | null = null;
  private closed = false;

  constructor(
    private readonly connect: () => pg.Client,
    private readonly options: ChannelListenerOptions,
  ) {}

  get listening(): boolean {
    return this.client !== null;
  }

  /** Opens the session unless it is open; resolves to whether it listens now. */
  ensure(): Promise<boolean> {
    if (this.client) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    this.opening ??= this.open().finally(() => (this.opening = null));
    return this.opening;
  }

  /** As `ensure`, but fails with the reason it cannot listen (a 503 for an HTTP caller). */
  async require(): Promise<void> {
    if (await this.ensure()) return;
    throw this.lastError ?? new Error(`${this.options.name}: not listening`);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.opening;
    const client = this.client;
    this.client = null;
    if (!client) return;
    await client.query(`UNLISTEN ${this.options.channel}`).catch(noop);
    await client.end().catch(noop);
  }

  private async open(): Promise<boolean> {
    const { name, channel, logger } = this.options;
    const client = this.connect();
    // Listening for errors before connecting: an unheard 'error' would end the process.
    const lost = (reason: string) => {
      if (this.client !== client) return;
      this.client = null;
      logger.warn(`${name}: notifications lost (${reason}); polling until reconnected`);
      void client.end().catch(noop);
      this.options.onLost?.();
    };
    client.on('error', (err) => lost(err.message));
    client.on('end', () => lost('connection closed'));
    client.on('notification', (n) => this.options.onNotify(n.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
    } catch (err) {
      await client.end().catch(noop);
      this.lastError = err as Error;
      if (!this.failing) logger.warn(`${name}: cannot listen: ${(err as Error).message}`);
      this.failing = true;
      return false;
    }
    if (this.closed) {
      await client.end().catch(noop);
      return false;
    }
    this.client = client;
    this.failing = false;
    return true;
  }
}
