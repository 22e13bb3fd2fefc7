import { Inject, Injectable } from '@nestjs/common';
import { CONTACT_DEFINITION } from '#operational/customers/index.js';
import type { FieldChange } from '#platform/audit/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { AppError, checkIfMatch } from '#platform/http/index.js';
import { RecordService, type ApiRecord } from '#platform/records/index.js';
import { MARKETING_SECTION, type MarketingConfig } from '../marketing.config.js';
import {
  CONTACT_UNSUBSCRIBED,
  PREFERENCES_CHANGED,
  type ContactUnsubscribedPayload,
  type MarketingActor,
} from '../marketing.events.js';
import { ContactAccess } from './contact-access.js';
import { ConsentsRepository } from './consents.repository.js';
import type { PreferencesDto, UpdatePreferencesDto } from './dto/preferences.dto.js';
import { PreferencesRepository, type StoredPreferences } from './preferences.repository.js';

const FIELDS = [
  'channels',
  'topics',
  'preferredChannel',
  'language',
  'timeZone',
  'quietHours',
  'frequencyCap',
  'unsubscribedAt',
  'emailBouncedAt',
] as const;

/**
 * A contact's preferences: the channels, topics, language, quiet hours and frequency cap the
 * contact asked for. Staff change them under the contact's update permission; the contact
 * changes them through the preference centre. Every change goes into the contact's history
 * (`preferences.<field>`) and raises `preferences.changed`.
 */
@Injectable()
export class PreferencesService {
  private readonly config: MarketingConfig;

  constructor(
    private readonly db: DatabaseService,
    private readonly records: RecordService,
    private readonly access: ContactAccess,
    private readonly repo: PreferencesRepository,
    private readonly consents: ConsentsRepository,
    private readonly outbox: EventOutbox,
    @Inject(CRM_CONFIG) private readonly crm: CrmConfig,
  ) {
    this.config = MARKETING_SECTION.read(crm);
  }

  async get(ctx: RequestContext, contactId: string): Promise<PreferencesDto> {
    const contact = await this.access.readable(ctx, contactId);
    return this.view(ctx, contact, await this.repo.find(ctx, contactId));
  }

  async update(
    ctx: RequestContext,
    contactId: string,
    patch: UpdatePreferencesDto,
    ifMatch: string | undefined,
  ): Promise<PreferencesDto> {
    return this.db.transaction(ctx, async (tx) => {
      const contact = await this.access.updatable(tx, contactId);
      const current = await this.repo.find(tx, contactId, true);
      checkIfMatch(ifMatch, current.version);
      const saved = await this.write(tx, current, this.apply(current, patch), 'user');
      return this.view(tx, contact, saved);
    });
  }

  /**
   * The contact's own change (the preference centre, the customer portal): no caller, same
   * rules; `ifMatch` (the portal's ETag) guards against overwriting a change not yet seen.
   */
  async updateAsContact(
    ctx: RequestContext,
    contactId: string,
    patch: UpdatePreferencesDto,
    ifMatch?: string,
  ): Promise<PreferencesDto> {
    return this.db.transaction(ctx, async (tx) => {
      const contact = await this.access.system(tx, contactId);
      const current = await this.repo.find(tx, contactId, true);
      checkIfMatch(ifMatch, current.version);
      const saved = await this.write(tx, current, this.apply(current, patch), 'contact');
      return this.view(tx, contact, saved);
    });
  }

  async getAsContact(ctx: RequestContext, contactId: string): Promise<PreferencesDto> {
    const contact = await this.access.system(ctx, contactId);
    return this.view(ctx, contact, await this.repo.find(ctx, contactId));
  }

  /** Stops all marketing to the contact (a one-click unsubscribe); a second call changes nothing. */
  async unsubscribe(
    ctx: RequestContext,
    contactId: string,
    reason: ContactUnsubscribedPayload,
  ): Promise<void> {
    await this.db.transaction(ctx, async (tx) => {
      await this.access.system(tx, contactId);
      const current = await this.repo.find(tx, contactId, true);
      if (current.unsubscribedAt) return;
      await this.write(
        tx,
        current,
        { ...current, unsubscribedAt: new Date().toISOString() },
        'contact',
      );
      await this.outbox.append(tx, [CONTACT_UNSUBSCRIBED.of(contactId, reason)]);
    });
  }

  /** The e-mail address bounced: no more e-mail until someone changes the address or clears it. */
  async markEmailBounced(ctx: RequestContext, contactId: string, at: Date): Promise<void> {
    await this.db.transaction(ctx, async (tx) => {
      const current = await this.repo.find(tx, contactId, true);
      if (current.emailBouncedAt) return;
      await this.write(tx, current, { ...current, emailBouncedAt: at.toISOString() }, 'contact');
    });
  }

  /** The preferences a gate decision reads, with the zone its quiet hours are in. */
  async forGate(ctx: RequestContext, contact: ApiRecord) {
    const prefs = await this.repo.find(ctx, contact.id);
    return { prefs, timeZone: this.effectiveTimeZone(contact, prefs) };
  }

  private effectiveTimeZone(contact: ApiRecord, prefs: StoredPreferences): string {
    return prefs.timeZone ?? (contact.timeZone as string | null) ?? this.crm.organization.timeZone;
  }

  private apply(current: StoredPreferences, patch: UpdatePreferencesDto): StoredPreferences {
    const topics = patch.topics?.map((t) => t.trim());
    const known = new Set(this.config.topics.map((t) => t.key));
    const unknown = topics?.findIndex((t) => !known.has(t)) ?? -1;
    if (topics && unknown >= 0)
      throw AppError.field(
        `topics[${unknown}]`,
        'isIn',
        `must be one of ${[...known].join(', ')}`,
        { values: [...known] },
      );
    const next: StoredPreferences = { ...current };
    if (patch.channels) next.channels = { ...current.channels, ...patch.channels };
    if (topics) next.topics = [...new Set(topics)];
    if (patch.preferredChannel !== undefined) next.preferredChannel = patch.preferredChannel;
    if (patch.language !== undefined) next.language = patch.language;
    if (patch.timeZone !== undefined) next.timeZone = patch.timeZone;
    if (patch.quietHours !== undefined) {
      const q = patch.quietHours;
      if (q && q.start === q.end)
        throw AppError.field('quietHours.end', 'notEquals', 'must differ from start');
      next.quietHours = q && { start: q.start, end: q.end };
    }
    if (patch.frequencyCap !== undefined)
      next.frequencyCap = patch.frequencyCap && {
        max: patch.frequencyCap.max,
        per: patch.frequencyCap.per,
      };
    if (patch.unsubscribed !== undefined)
      next.unsubscribedAt = patch.unsubscribed
        ? (current.unsubscribedAt ?? new Date().toISOString())
        : null;
    return next;
  }

  private async write(
    tx: RequestContext,
    current: StoredPreferences,
    next: StoredPreferences,
    actor: MarketingActor,
  ): Promise<StoredPreferences> {
    const changes: FieldChange[] = FIELDS.filter(
      (f) => JSON.stringify(current[f]) !== JSON.stringify(next[f]),
    ).map((f) => ({ field: `preferences.${f}`, old: current[f], new: next[f] }));
    if (changes.length === 0) return current;
    const saved = await this.repo.save(tx, next, tx.principal?.userId ?? null);
    await this.records.recordChange(
      tx,
      CONTACT_DEFINITION,
      current.contactId,
      changes,
      actor === 'contact' ? 'preference centre' : 'preferences',
    );
    await this.outbox.append(tx, [
      PREFERENCES_CHANGED.of(current.contactId, {
        changedBy: actor,
        fields: changes.map((c) => c.field.slice('preferences.'.length)),
        version: saved.version,
      }),
    ]);
    return saved;
  }

  private async view(
    ctx: RequestContext,
    contact: ApiRecord,
    prefs: StoredPreferences,
  ): Promise<PreferencesDto> {
    return {
      ...prefs,
      effectiveTimeZone: this.effectiveTimeZone(contact, prefs),
      consents: await this.consents.standing(ctx, contact.id),
    };
  }
}
