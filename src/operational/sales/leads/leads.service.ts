import { Injectable } from '@nestjs/common';
import { PermissionEvaluator } from '#platform/access/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import type { NewDomainEvent } from '#platform/events/index.js';
import { AppError, checkIfMatch } from '#platform/http/index.js';
import {
  type RecordHooks,
  type RecordWrite,
  RecordResourceService,
  RecordService,
  type ApiRecord,
} from '#platform/records/index.js';
import { nameKey, OLDEST_CONTACT_BY_EMAIL_SQL } from '#operational/customers/index.js';
import { LeadAssigner } from '../lead-assignment/lead-assigner.service.js';
import { LeadScoringService } from '../lead-scoring/lead-scoring.service.js';
import { LEAD_DEFINITION, NEW_LEAD_DEFAULTS, type AssignedVia } from './lead.definition.js';
import { LEAD_ASSIGNED } from './leads.events.js';

export function emailKey(email: unknown): string | null {
  return typeof email === 'string' && email.trim() ? email.trim().toLowerCase() : null;
}

export interface ConversionLinks {
  convertedAccountId: string | null;
  convertedContactId: string | null;
  convertedOpportunityId: string | null;
}

/** The 409 every write to a converted lead answers. */
export function leadConverted(lead: ApiRecord): AppError {
  return new AppError('lead_converted', { convertedAt: lead.convertedAt }, undefined, {
    convertedAccountId: lead.convertedAccountId,
    convertedContactId: lead.convertedContactId,
    convertedOpportunityId: lead.convertedOpportunityId,
  });
}

/**
 * Leads: the generic record rules, a duplicate check by normalized email against leads and
 * contacts, read-only once converted, and `lead.assigned` whenever a lead gets an owner
 * other than the person acting. A new lead whose request names no owner is placed by the
 * assignment rules (POST …/assign runs them again); every change scores it again in the
 * same transaction.
 */
@Injectable()
export class LeadsService extends RecordResourceService {
  readonly def = LEAD_DEFINITION;
  protected override readonly pointsAt = {
    convertedAccountId: 'accounts',
    convertedContactId: 'contacts',
    convertedOpportunityId: 'opportunities',
  };

  protected override readonly hooks: RecordHooks = {
    derive: (r) => ({
      name_key: nameKey(
        r.firstName as string | null,
        r.lastName as string | null,
        r.company as string | null,
      ),
      email_key: emailKey(r.email),
    }),
    validate: async (_ctx, r, _changed, existing) => this.validateLead(r, existing),
    findDuplicate: (ctx, _r, derived) =>
      this.findDuplicate(ctx, derived.email_key as string | null),
    assignOwnership: async (ctx, r, ownerRequested) =>
      ownerRequested
        ? { assignedVia: 'request', assignmentRule: null }
        : this.assigner.assign(
            ctx,
            { ...NEW_LEAD_DEFAULTS, ...r },
            { userId: ctx.user.userId, teamId: r.teamId as string | null },
          ),
    // An owner set by hand: no rule placed the lead any more.
    shape: (patch, existing) =>
      existing &&
      patch.ownerId !== undefined &&
      patch.ownerId !== existing.ownerId &&
      patch.assignedVia === undefined
        ? { ...patch, assignedVia: 'request', assignmentRule: null }
        : patch,
    afterWrite: async (tx, write) => {
      if (write.action !== 'create' && write.action !== 'update') return;
      const created = write.action === 'create';
      const scored = await this.scoring.afterChange(tx, write.after, { created });
      return {
        record: scored.record,
        events: [...this.assignedEvent(tx, write), ...scored.events],
      };
    },
    afterWriteMany: async (tx, writes) => {
      const created = writes.filter((w) => w.action === 'create').map((w) => w.after);
      const { scores, events } = await this.scoring.afterCreateMany(tx, created);
      const scoreEvents = new Map<string | null, NewDomainEvent[]>();
      for (const e of events)
        scoreEvents.set(e.recordId, [...(scoreEvents.get(e.recordId) ?? []), e]);
      return writes.map((w) => ({
        record: { ...w.after, score: scores.get(w.after.id) ?? w.after.score },
        events: [...this.assignedEvent(tx, w), ...(scoreEvents.get(w.after.id) ?? [])],
      }));
    },
  };

  constructor(
    records: RecordService,
    private readonly db: DatabaseService,
    private readonly permissions: PermissionEvaluator,
    private readonly assigner: LeadAssigner,
    private readonly scoring: LeadScoringService,
  ) {
    super(records);
  }

  /**
   * Runs the assignment rules again, as creating the lead would today: a matching rule places
   * it, else its team's default owner, else its creator (or, when the creator can no longer
   * work, the caller). Needs update access to the lead and the reassign permission.
   */
  async assign(ctx: RequestContext, id: string, ifMatch?: string) {
    return this.db.transaction(ctx, async (tx) => {
      const before = await this.lockForAction(tx, id, ifMatch);
      if (!this.permissions.grant(tx.user, this.def.entity).reassign)
        throw new AppError('reassign_forbidden', { entity: this.def.entity });
      const creator = before.createdById as string | null;
      const fallbackUser =
        creator && (await this.assigner.canOwn(tx, creator)) ? creator : tx.user.userId;
      const assignment = await this.assigner.assign(tx, before, {
        userId: fallbackUser,
        teamId: before.teamId,
      });
      const updated = await this.records.update(
        tx,
        this.def,
        id,
        { ...assignment },
        undefined,
        this.hooks,
      );
      return this.view(tx, updated);
    });
  }

  /**
   * Score changes of the lead, newest first; 404 outside the caller's read scope, 403 for a
   * role that may not see scores (`score` hidden).
   */
  async scoreHistory(ctx: RequestContext, id: string, limit: number, cursor: string | null) {
    await this.records.load(ctx, this.def, id);
    if (this.permissions.field(ctx.user, this.def.entity, 'score') === 'hidden')
      throw AppError.forbidden('read', 'lead scores');
    return this.scoring.history(ctx, id, limit, cursor);
  }

  /**
   * The lead, locked for the rest of the transaction, for an action on it (convert, assign):
   * 404 outside the read scope, 403 outside the update scope, 412 when `ifMatch` is stale,
   * 409 once converted.
   */
  async lockForAction(tx: RequestContext, id: string, ifMatch?: string): Promise<ApiRecord> {
    const lead = await this.records.load(tx, this.def, id, { forUpdate: true });
    const scope = this.permissions.require(tx.user, this.def.entity, 'update');
    if (!this.permissions.inScope(tx.user, scope, lead))
      throw AppError.forbidden('update', 'this lead');
    checkIfMatch(ifMatch, lead.version);
    if (lead.status === 'converted') throw leadConverted(lead);
    return lead;
  }

  /** Lead conversion's last step: status `converted` and the links to what the lead became. */
  async markConverted(tx: RequestContext, id: string, links: ConversionLinks) {
    const updated = await this.records.update(
      tx,
      this.def,
      id,
      { ...links, status: 'converted', convertedAt: new Date().toISOString() },
      undefined,
      // Conversion closes the lead: it is neither checked as an open lead nor scored again.
      { ...this.hooks, validate: undefined, afterWrite: undefined },
    );
    return { record: updated, view: this.view(tx, updated) };
  }

  private validateLead(r: Record<string, unknown>, existing: ApiRecord | null): void {
    if (existing?.status === 'converted') throw leadConverted(existing);
    const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';
    if (blank(r.lastName) && blank(r.company)) {
      throw AppError.validation([
        {
          field: 'lastName',
          rule: 'requiredWhen',
          message: 'is required when company is empty',
          params: {
            when: 'company is empty',
            messages: {
              en: 'is required when company is empty',
              id: 'wajib diisi jika company kosong',
            },
          },
        },
      ]);
    }
  }

  /**
   * The same email, ignoring case and spaces, on a live lead or contact. A converted lead is
   * left out: the contact it became answers for it.
   */
  private async findDuplicate(ctx: RequestContext, email: string | null): Promise<null> {
    if (!email) return null;
    const lead = await this.db.one<{ id: string }>(
      ctx,
      `SELECT id FROM leads WHERE deleted_at IS NULL AND status <> 'converted' AND email_key = $1 ORDER BY created_at LIMIT 1`,
      [email],
    );
    const contact = lead
      ? null
      : await this.db.one<{ id: string }>(ctx, OLDEST_CONTACT_BY_EMAIL_SQL, [[email]]);
    const found = lead
      ? { entity: 'leads', label: 'lead', id: lead.id }
      : contact && { entity: 'contacts', label: 'contact', id: contact.id };
    if (!found) return null;
    // Thrown here rather than returned: the answer names which kind of record it found.
    throw new AppError(
      'duplicate_record',
      { entity: found.label, match: 'email', existingId: found.id },
      undefined,
      { existingId: found.id, entity: found.entity, match: 'email' },
    );
  }

  /**
   * `lead.assigned` when the write gave the lead an owner other than the person acting (on
   * create) or than the one it had (on update).
   */
  private assignedEvent(tx: RequestContext, { before, after }: RecordWrite): NewDomainEvent[] {
    if (after.ownerId === (before ? before.ownerId : tx.user.userId)) return [];
    return [
      LEAD_ASSIGNED.of(after.id, {
        ownerId: after.ownerId,
        teamId: after.teamId,
        previousOwnerId: before?.ownerId ?? null,
        assignmentRule: (after.assignmentRule as string | null) ?? null,
        assignedVia: after.assignedVia as AssignedVia,
      }),
    ];
  }
}
