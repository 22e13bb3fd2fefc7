import { Inject, Injectable } from '@nestjs/common';
import { ACCOUNT_DEFINITION } from '#operational/customers/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { RequestContext } from '#platform/context/index.js';
import { AppError } from '#platform/http/index.js';
import type { ApiRecord } from '#platform/records/index.js';
import { MARKETING_SECTION, type MarketingConfig } from '../marketing.config.js';
import { ConsentsService } from '../preferences/consents.service.js';
import { ContactAccess } from '../preferences/contact-access.js';
import type { Channel } from '../preferences/dto/preferences.dto.js';
import { PreferencesService } from '../preferences/preferences.service.js';
import type { StoredPreferences } from '../preferences/stored-preferences.js';
import { capDecision } from './frequency-cap.js';
import { HoldBacksRepository } from './hold-backs.repository.js';
import { quietUntil } from './quiet-hours.js';

/** Why a message was held back. Clients branch on these codes; they never change meaning. */
export const HOLD_BACK_REASONS = [
  'unsubscribed',
  'opted_out',
  'no_address',
  'bounced',
  'topic_not_wanted',
  'no_consent',
  'quiet_hours',
  'frequency_cap',
] as const;
export type HoldBackReason = (typeof HOLD_BACK_REASONS)[number];

export interface GateRequest {
  contactId: string;
  channel: Channel;
  /** A key of `marketing.topics`; none: the message is about no particular topic. */
  topic?: string | null;
  /** The processing purpose a standing consent must cover, e.g. `marketing`. */
  purpose: string;
  /** When the message would go out; default now. */
  at?: Date;
  /** Who asks (`campaign:<id>`, `automation:<id>`, `survey:<id>` …), kept with a hold-back. */
  sourceKey?: string | null;
}

export type GateDecision =
  | { allowed: true; address: string }
  | {
      allowed: false;
      reason: HoldBackReason;
      /** For quiet hours and frequency caps: the first moment the message may go. */
      nextAllowedAt: string | null;
      holdBackId: string;
    };

/**
 * The one place that decides whether a marketing message may reach a contact: every channel,
 * every sender (campaigns, automations, survey mails). It reads the contact's preferences,
 * consent history and recent messages; each decision to hold back is recorded with its reason,
 * so "why did this customer not get it" has an answer. The checks run from the most lasting
 * reason to the most passing one, so the reason recorded is the one that matters most.
 */
@Injectable()
export class MarketingGate {
  private readonly config: MarketingConfig;

  constructor(
    private readonly access: ContactAccess,
    private readonly preferences: PreferencesService,
    private readonly consents: ConsentsService,
    private readonly holdBacks: HoldBacksRepository,
    @Inject(CRM_CONFIG) crm: CrmConfig,
  ) {
    this.config = MARKETING_SECTION.read(crm);
  }

  async check(
    request: GateRequest,
    ctx: RequestContext = RequestContext.system(),
  ): Promise<GateDecision> {
    const at = request.at ?? new Date();
    const topic = request.topic ?? null;
    if (topic !== null && !this.config.topics.some((t) => t.key === topic))
      throw AppError.field('topic', 'isIn', 'is not a topic of marketing.topics');
    const contact = await this.access.system(ctx, request.contactId);
    const { prefs, timeZone } = await this.preferences.forGate(ctx, contact);
    const outcome = await this.decide(ctx, request, contact, prefs, timeZone, at);
    if ('address' in outcome) return { allowed: true, address: outcome.address };
    const held = await this.holdBacks.insert(ctx, {
      contactId: request.contactId,
      channel: request.channel,
      topic,
      purpose: request.purpose,
      reason: outcome.reason,
      nextAllowedAt: outcome.nextAllowedAt?.toISOString() ?? null,
      sourceKey: request.sourceKey ?? null,
      checkedFor: at.toISOString(),
    });
    return {
      allowed: false,
      reason: outcome.reason,
      nextAllowedAt: held.nextAllowedAt,
      holdBackId: held.id,
    };
  }

  /** Where a message on `channel` would go, for a message the gate only deferred. */
  async addressOn(ctx: RequestContext, contactId: string, channel: Channel): Promise<string> {
    const contact = await this.access.system(ctx, contactId);
    return (await this.addressOf(ctx, contact, channel)) ?? '';
  }

  private async decide(
    ctx: RequestContext,
    request: GateRequest,
    contact: ApiRecord,
    prefs: StoredPreferences,
    timeZone: string,
    at: Date,
  ): Promise<{ address: string } | { reason: HoldBackReason; nextAllowedAt?: Date }> {
    const { channel } = request;
    if (prefs.unsubscribedAt) return { reason: 'unsubscribed' };
    if (prefs.channels[channel] === 'opted_out') return { reason: 'opted_out' };
    const address = await this.addressOf(ctx, contact, channel);
    if (!address) return { reason: 'no_address' };
    if (channel === 'email' && prefs.emailBouncedAt) return { reason: 'bounced' };
    if (request.topic && prefs.topics.length > 0 && !prefs.topics.includes(request.topic))
      return { reason: 'topic_not_wanted' };
    const standing = await this.consents.standing(ctx, contact.id);
    const covered = standing.some(
      (c) =>
        c.purpose === request.purpose &&
        (c.channel === null || c.channel === channel) &&
        Date.parse(c.givenAt!) <= at.getTime(),
    );
    if (!covered) return { reason: 'no_consent' };
    const quiet = prefs.quietHours ?? this.config.defaultQuietHours;
    const until = quiet && quietUntil(at, quiet, timeZone);
    if (until) return { reason: 'quiet_hours', nextAllowedAt: until };
    if (prefs.frequencyCap) {
      const sent = await this.holdBacks.sentWithin(ctx, contact.id, prefs.frequencyCap, at);
      const cap = capDecision(sent, prefs.frequencyCap, at);
      if (!cap.allowed) return { reason: 'frequency_cap', nextAllowedAt: cap.nextAllowedAt };
    }
    return { address };
  }

  /** Where a message on the channel would go, or null when the contact has no such address. */
  private async addressOf(
    ctx: RequestContext,
    contact: ApiRecord,
    channel: Channel,
  ): Promise<string | null> {
    switch (channel) {
      case 'email':
        return (contact.email as string | null) ?? null;
      case 'sms':
      case 'whatsapp':
      case 'phone': {
        const phones = (contact.phones as { number: string; label?: string }[] | null) ?? [];
        const mobile = phones.find((p) => p.label === 'mobile') ?? phones[0];
        return mobile?.number ?? null;
      }
      case 'post': {
        const accountId = contact.accountId as string | null;
        if (!accountId) return null;
        const account = await this.access.systemRecord(ctx, ACCOUNT_DEFINITION, accountId);
        const addresses = (account?.addresses as unknown[] | null) ?? [];
        return addresses.length > 0 ? JSON.stringify(addresses[0]) : null;
      }
    }
  }
}
