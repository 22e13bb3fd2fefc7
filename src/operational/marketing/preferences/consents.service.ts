import { Injectable } from '@nestjs/common';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { AppError } from '#platform/http/index.js';
import { CONSENT_GIVEN, CONSENT_WITHDRAWN } from '../marketing.events.js';
import { ConsentsRepository } from './consents.repository.js';
import { ContactAccess } from './contact-access.js';
import type { ConsentDto, GiveConsentDto, WithdrawConsentDto } from './dto/consent.dto.js';

/**
 * A contact's consent history. Entries are only ever added: giving consent adds a `given`
 * entry, withdrawing it adds a `withdrawn` entry that points at it, so the history shows what
 * the contact agreed to, when, and how it ended.
 */
@Injectable()
export class ConsentsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly access: ContactAccess,
    private readonly repo: ConsentsRepository,
    private readonly outbox: EventOutbox,
  ) {}

  async list(ctx: RequestContext, contactId: string, limit: number, cursor: string | null) {
    await this.access.readable(ctx, contactId);
    if (cursor !== null && !/^[0-9a-f-]{36}$/i.test(cursor))
      throw new AppError('invalid_query', {}, [
        { field: 'cursor', rule: 'isCursor', message: 'is not a cursor of this list' },
      ]);
    const page = await this.repo.page(ctx, contactId, limit, cursor);
    return { data: page.data, meta: { nextCursor: page.nextCursor, limit } };
  }

  /** Consents given and not withdrawn, newest first; for decisions, without access checks. */
  standing(ctx: RequestContext, contactId: string): Promise<ConsentDto[]> {
    return this.repo.standing(ctx, contactId);
  }

  async one(ctx: RequestContext, contactId: string, consentId: string): Promise<ConsentDto> {
    await this.access.readable(ctx, contactId);
    const entry = await this.repo.one(ctx, contactId, consentId);
    if (!entry) throw AppError.notFound('consent', consentId);
    return entry;
  }

  async give(ctx: RequestContext, contactId: string, body: GiveConsentDto): Promise<ConsentDto> {
    return this.db.transaction(ctx, async (tx) => {
      await this.access.updatable(tx, contactId);
      const entry = await this.repo.insert(tx, {
        contactId,
        action: 'given',
        purpose: body.purpose,
        lawfulBasis: body.lawfulBasis,
        channel: body.channel ?? null,
        source: body.source,
        proofText: body.proofText ?? null,
        proofUrl: body.proofUrl ?? null,
        effectiveAt: body.givenAt ?? new Date().toISOString(),
        withdrawsId: null,
      });
      await this.outbox.append(tx, [CONSENT_GIVEN.of(contactId, payload(entry))]);
      return entry;
    });
  }

  async withdraw(
    ctx: RequestContext,
    contactId: string,
    consentId: string,
    body: WithdrawConsentDto,
  ): Promise<ConsentDto> {
    return this.db.transaction(ctx, async (tx) => {
      await this.access.updatable(tx, contactId);
      // Locked first, then read again: a withdrawal committed while this one waited shows.
      await this.repo.one(tx, contactId, consentId, true);
      const given = await this.repo.one(tx, contactId, consentId);
      if (!given || given.action !== 'given') throw AppError.notFound('consent', consentId);
      if (given.relatedId)
        throw new AppError(
          'consent_already_withdrawn',
          { consentId, withdrawalId: given.relatedId },
          undefined,
          { withdrawalId: given.relatedId },
        );
      const entry = await this.repo.insert(tx, {
        contactId,
        action: 'withdrawn',
        purpose: given.purpose,
        lawfulBasis: given.lawfulBasis,
        channel: given.channel,
        source: body.source,
        proofText: body.proofText ?? null,
        proofUrl: body.proofUrl ?? null,
        effectiveAt: body.withdrawnAt ?? new Date().toISOString(),
        withdrawsId: given.id,
      });
      await this.outbox.append(tx, [CONSENT_WITHDRAWN.of(contactId, payload(entry))]);
      return entry;
    });
  }
}

function payload(e: ConsentDto) {
  return {
    consentId: e.id,
    purpose: e.purpose,
    lawfulBasis: e.lawfulBasis,
    channel: e.channel,
    source: e.source,
    withdraws: e.action === 'withdrawn' ? e.relatedId : null,
    at: (e.action === 'given' ? e.givenAt : e.withdrawnAt)!,
  };
}
