import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { CHANNELS, type Channel, type ChannelState } from './dto/preferences.dto.js';
import type { StoredPreferences } from './stored-preferences.js';

export type { StoredPreferences } from './stored-preferences.js';

interface Row {
  contact_id: string;
  channels: Record<string, ChannelState>;
  topics: string[];
  preferred_channel: Channel | null;
  language: 'en' | 'id' | null;
  time_zone: string | null;
  quiet_hours_start: string | null;
  quiet_hours_end: string | null;
  frequency_cap_count: number | null;
  frequency_cap_period: 'week' | 'month' | null;
  unsubscribed_at: Date | null;
  email_bounced_at: Date | null;
  version: number;
  updated_at: Date | null;
}

export function channelStates(given: Record<string, ChannelState> = {}) {
  return Object.fromEntries(CHANNELS.map((c) => [c, given[c] ?? 'unset'])) as Record<
    Channel,
    ChannelState
  >;
}

function fromRow(contactId: string, r: Row | null): StoredPreferences {
  return {
    contactId,
    channels: channelStates(r?.channels),
    topics: r?.topics ?? [],
    preferredChannel: r?.preferred_channel ?? null,
    language: r?.language ?? null,
    timeZone: r?.time_zone ?? null,
    quietHours:
      r?.quiet_hours_start && r.quiet_hours_end
        ? { start: r.quiet_hours_start, end: r.quiet_hours_end }
        : null,
    frequencyCap:
      r?.frequency_cap_count && r.frequency_cap_period
        ? { max: r.frequency_cap_count, per: r.frequency_cap_period }
        : null,
    unsubscribedAt: r?.unsubscribed_at?.toISOString() ?? null,
    emailBouncedAt: r?.email_bounced_at?.toISOString() ?? null,
    version: r?.version ?? 0,
    updatedAt: r?.updated_at?.toISOString() ?? null,
  };
}

/** SQL of `contact_preferences`. */
@Injectable()
export class PreferencesRepository {
  constructor(private readonly db: DatabaseService) {}

  async find(ctx: RequestContext, contactId: string, forUpdate = false) {
    const row = await this.db.one<Row>(
      ctx,
      `SELECT * FROM contact_preferences WHERE contact_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [contactId],
    );
    return fromRow(contactId, row);
  }

  /** Writes the whole set and bumps the version; the row is made on the first write. */
  async save(
    tx: RequestContext,
    p: StoredPreferences,
    userId: string | null,
  ): Promise<StoredPreferences> {
    const row = await this.db.one<Row>(
      tx,
      `INSERT INTO contact_preferences AS p (contact_id, channels, topics, preferred_channel, language, time_zone,
              quiet_hours_start, quiet_hours_end, frequency_cap_count, frequency_cap_period, unsubscribed_at,
              email_bounced_at, updated_by_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (contact_id) DO UPDATE SET channels = EXCLUDED.channels, topics = EXCLUDED.topics,
              preferred_channel = EXCLUDED.preferred_channel, language = EXCLUDED.language,
              time_zone = EXCLUDED.time_zone, quiet_hours_start = EXCLUDED.quiet_hours_start,
              quiet_hours_end = EXCLUDED.quiet_hours_end, frequency_cap_count = EXCLUDED.frequency_cap_count,
              frequency_cap_period = EXCLUDED.frequency_cap_period, unsubscribed_at = EXCLUDED.unsubscribed_at,
              email_bounced_at = EXCLUDED.email_bounced_at, updated_by_id = EXCLUDED.updated_by_id,
              version = p.version + 1, updated_at = now()
       RETURNING *`,
      [
        p.contactId,
        JSON.stringify(
          Object.fromEntries(Object.entries(p.channels).filter(([, s]) => s !== 'unset')),
        ),
        p.topics,
        p.preferredChannel,
        p.language,
        p.timeZone,
        p.quietHours?.start ?? null,
        p.quietHours?.end ?? null,
        p.frequencyCap?.max ?? null,
        p.frequencyCap?.per ?? null,
        p.unsubscribedAt,
        p.emailBouncedAt,
        userId,
      ],
    );
    return fromRow(p.contactId, row);
  }
}
