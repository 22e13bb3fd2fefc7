import type { FrequencyCap } from '../gate/frequency-cap.js';
import type { QuietHoursConfig } from '../marketing.config.js';
import type { Channel, ChannelState } from './dto/preferences.dto.js';

/** A contact's preferences as stored; a contact without a row has the defaults (version 0). */
export interface StoredPreferences {
  contactId: string;
  channels: Record<Channel, ChannelState>;
  topics: string[];
  preferredChannel: Channel | null;
  language: 'en' | 'id' | null;
  timeZone: string | null;
  quietHours: QuietHoursConfig | null;
  frequencyCap: FrequencyCap | null;
  unsubscribedAt: string | null;
  emailBouncedAt: string | null;
  version: number;
  updatedAt: string | null;
}
