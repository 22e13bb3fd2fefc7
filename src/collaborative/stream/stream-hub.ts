import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService, type ChannelListener } from '#platform/database/index.js';
import { STREAM_CHANNEL } from './stream-publisher.js';
import { STREAM_SECTION } from './stream.config.js';

export interface StreamEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

interface EventRow {
  id: string;
  type: string;
  user_ids: string[];
  recipients: string[];
  data: Record<string, unknown>;
}

/**
 * One open SSE connection: of a staff user (`key` is their id, matched against an event's
 * `user_ids`) or of an outside participant (`key` from `streamKey`, matched against its
 * `recipients`).
 */
export interface StreamClient {
  readonly key: string;
  readonly staff: boolean;
  send(event: StreamEvent): void;
  comment(text: string): void;
  close(): void;
}

const REPLAY_LIMIT = 1000;

/**
 * The live stream of one process, for every audience. It holds one LISTEN connection (opened
 * with the first client), reads each notified event from `stream_events` — the NOTIFY
 * carries only its id — and hands it to this process's clients among the event's users and
 * recipients. Several processes each do
 * the same, so a message posted anywhere reaches its users wherever they are connected.
 */
@Injectable()
export class StreamHub implements BeforeApplicationShutdown {
  private readonly logger = new Logger('StreamHub');
  private readonly clients = new Map<string, Set<StreamClient>>();
  private listener: ChannelListener | null = null;
  private pending: string[] = [];
  private flushing = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private purge: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: DatabaseService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  private get settings() {
    return STREAM_SECTION.read(this.config);
  }

  get connections(): number {
    let n = 0;
    for (const set of this.clients.values()) n += set.size;
    return n;
  }

  /**
   * Adds a client; with `lastEventId`, first replays what it missed since (within the
   * retention). Live events that arrive meanwhile wait until the replay is out, so none is
   * lost between the two and none is sent twice.
   */
  async connect(client: StreamClient, lastEventId: string | null): Promise<() => void> {
    await this.listen();
    const buffered: StreamEvent[] = [];
    let replaying = lastEventId !== null;
    const gate: StreamClient = {
      key: client.key,
      staff: client.staff,
      send: (e) => (replaying ? buffered.push(e) : client.send(e)),
      comment: (t) => client.comment(t),
      close: () => client.close(),
    };
    let set = this.clients.get(client.key);
    if (!set) this.clients.set(client.key, (set = new Set()));
    set.add(gate);
    const max = this.settings.maxConnectionsPerUser;
    if (set.size > max) {
      const oldest = set.values().next().value!;
      set.delete(oldest);
      oldest.close();
    }
    const disconnect = () => {
      set.delete(gate);
      if (!set.size && this.clients.get(client.key) === set) this.clients.delete(client.key);
    };
    if (lastEventId === null) return disconnect;
    const mine = client.staff ? '$2::uuid = ANY(user_ids)' : '$2::text = ANY(recipients)';
    const missed = await this.db.query<EventRow>(
      RequestContext.system(),
      `SELECT id::text, type, user_ids, recipients, data FROM stream_events
        WHERE id > $1 AND ${mine}
          AND created_at > now() - make_interval(mins => $3)
        ORDER BY id LIMIT ${REPLAY_LIMIT}`,
      [lastEventId, client.key, this.settings.retentionMinutes],
    );
    const sent = new Set<string>();
    for (const r of missed) {
      client.send({ id: r.id, type: r.type, data: r.data });
      sent.add(r.id);
    }
    replaying = false;
    for (const e of buffered) if (!sent.has(e.id)) client.send(e);
    return disconnect;
  }

  private async listen(): Promise<void> {
    this.listener ??= this.db.channelListener({
      name: 'relasi-stream',
      channel: STREAM_CHANNEL,
      onNotify: (id) => {
        if (id) this.notified(id);
      },
      // Events notified while the session was down never reach this process: its clients are
      // let go, and come back with Last-Event-ID for what they missed.
      onLost: () => this.disconnectAll(),
      logger: this.logger,
    });
    await this.listener.require();
    const beat = this.settings.heartbeatSeconds * 1000;
    this.heartbeat ??= setInterval(() => this.beat(), beat);
    this.purge ??= setInterval(() => void this.purgeOld(), 60_000);
    this.heartbeat.unref();
    this.purge.unref();
  }

  private disconnectAll(): void {
    for (const set of this.clients.values()) for (const c of set) c.close();
    this.clients.clear();
  }

  /** Ids notified while a read is under way are read together with the next one. */
  private notified(id: string): void {
    if (!/^\d{1,19}$/.test(id)) return;
    this.pending.push(id);
    if (!this.flushing) void this.flush();
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length) {
        const ids = this.pending;
        this.pending = [];
        const rows = await this.db.query<EventRow>(
          RequestContext.system(),
          `SELECT id::text, type, user_ids, recipients, data FROM stream_events WHERE id = ANY($1::bigint[]) ORDER BY id`,
          [ids],
        );
        for (const r of rows) this.deliver(r);
      }
    } catch (err) {
      this.logger.error(`stream read failed: ${(err as Error).message}`);
    } finally {
      this.flushing = false;
    }
  }

  private deliver(r: EventRow): void {
    const event = { id: r.id, type: r.type, data: r.data };
    for (const key of [...r.user_ids, ...r.recipients])
      for (const client of this.clients.get(key) ?? []) client.send(event);
  }

  private beat(): void {
    for (const set of this.clients.values()) for (const c of set) c.comment('heartbeat');
  }

  private async purgeOld(): Promise<void> {
    await this.db
      .query(
        RequestContext.system(),
        `DELETE FROM stream_events WHERE created_at < now() - make_interval(mins => $1)`,
        [this.settings.retentionMinutes],
      )
      .catch((err: unknown) => this.logger.warn(`stream purge failed: ${(err as Error).message}`));
  }

  /** Ends every connection so that the server can close, and gives the listener back. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.purge) clearInterval(this.purge);
    this.disconnectAll();
    await this.listener?.close();
    this.listener = null;
  }
}
