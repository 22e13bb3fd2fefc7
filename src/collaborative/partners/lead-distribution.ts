import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { LeadsService } from '#operational/sales/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventBus, type DomainEvent } from '#platform/events/index.js';
import { AppError } from '#platform/http/index.js';
import type { ApiRecord } from '#platform/records/index.js';
import { PartnerSharing } from './partner-sharing.js';
import { PARTNERS_SECTION, type DistributionRule, type PartnersConfig } from './partners.config.js';

/** Why a rule did or did not place the lead. */
export interface RuleOutcome {
  rule: string;
  matched: boolean;
  reason: string;
}

export interface DistributionResult {
  leadId: string;
  /** The partner the lead went to; null when no rule placed it (or it was placed before). */
  partnerId: string | null;
  rule: string | null;
  explanation: RuleOutcome[];
}

interface LeadFacts {
  country: string | null;
  industry: string | null;
}

/** Leads still worked, the ones a partner's capacity counts. */
const OPEN_LEADS = `('new', 'working', 'nurturing', 'qualified')`;

/**
 * Gives leads to partners by the configured rules, in order: the first rule whose lead
 * criteria hold and which finds an active partner (of the rule's tiers, covering the lead's
 * country, under its capacity of open leads) places the lead. Among matching partners it is
 * round-robin: the one given a lead by a rule longest ago goes first. Runs for each new lead
 * (`partners.distribution.onLeadCreate`) and on demand.
 */
@Injectable()
export class LeadDistribution implements OnModuleInit {
  private readonly config: PartnersConfig;

  constructor(
    private readonly db: DatabaseService,
    private readonly bus: EventBus,
    private readonly leads: LeadsService,
    private readonly permissions: PermissionEvaluator,
    private readonly sharing: PartnerSharing,
    @Inject(CRM_CONFIG) crm: CrmConfig,
  ) {
    this.config = PARTNERS_SECTION.read(crm);
  }

  onModuleInit(): void {
    if (!this.config.distribution.onLeadCreate || !this.config.distribution.rules.length) return;
    this.bus.subscribe({
      name: 'partners.lead-distribution',
      types: ['lead.created'],
      handle: (event) => this.onLeadCreated(event),
    });
  }

  private async onLeadCreated(event: DomainEvent): Promise<void> {
    if (!event.recordId) return;
    await this.distribute(RequestContext.system(), event.recordId, true);
  }

  /** On demand: the caller must be able to update the lead. */
  async distributeByStaff(ctx: RequestContext, leadId: string): Promise<DistributionResult> {
    const { record } = await this.leads.get(ctx, leadId);
    const scope = this.permissions.require(ctx.user, 'leads', 'update');
    if (!this.permissions.inScope(ctx.user, scope, record as ApiRecord))
      throw AppError.forbidden('update', 'this lead');
    return this.distribute(ctx, leadId, false);
  }

  private async distribute(
    ctx: RequestContext,
    leadId: string,
    onlyOnce: boolean,
  ): Promise<DistributionResult> {
    return this.db.transaction(ctx, async (tx) => {
      const lead = await this.db.one<LeadFacts & { placed: string | null }>(
        tx,
        `SELECT upper(nullif(l.address->>'country', '')) AS country, l.industry,
                (SELECT s.partner_id::text FROM partner_shares s
                  WHERE s.record_type = 'leads' AND s.record_id = l.id AND s.via = 'rule' LIMIT 1) AS placed
           FROM leads l WHERE l.id = $1 AND l.deleted_at IS NULL FOR UPDATE`,
        [leadId],
      );
      if (!lead) throw AppError.notFound('lead', leadId);
      if (onlyOnce && lead.placed) return { leadId, partnerId: null, rule: null, explanation: [] };
      const explanation: RuleOutcome[] = [];
      for (const rule of this.config.distribution.rules) {
        const miss = this.leadMiss(rule, lead);
        if (miss) {
          explanation.push({ rule: rule.key, matched: false, reason: miss });
          continue;
        }
        const partnerId = await this.nextPartner(tx, rule, lead);
        if (!partnerId) {
          explanation.push({
            rule: rule.key,
            matched: false,
            reason: 'no active partner matches with capacity left',
          });
          continue;
        }
        await this.sharing.share(tx, partnerId, 'leads', leadId, 'rule', rule.key);
        explanation.push({ rule: rule.key, matched: true, reason: 'lead and partner match' });
        return { leadId, partnerId, rule: rule.key, explanation };
      }
      return { leadId, partnerId: null, rule: null, explanation };
    });
  }

  private leadMiss(rule: DistributionRule, lead: LeadFacts): string | null {
    if (rule.countries && !(lead.country && rule.countries.includes(lead.country)))
      return `lead country ${lead.country ?? 'unknown'} is not one of ${rule.countries.join(', ')}`;
    if (rule.industries && !(lead.industry && rule.industries.includes(lead.industry)))
      return `lead industry ${lead.industry ?? 'unknown'} is not one of ${rule.industries.join(', ')}`;
    return null;
  }

  private async nextPartner(
    tx: RequestContext,
    rule: DistributionRule,
    lead: LeadFacts,
  ): Promise<string | null> {
    const row = await this.db.one<{ id: string }>(
      tx,
      `SELECT p.id FROM partners p
        WHERE p.deleted_at IS NULL AND p.status = 'active'
          AND ($1::text[] IS NULL OR p.tier = ANY($1::text[]))
          AND ($2::text IS NULL OR $2 = ANY(p.territories))
          AND (p.lead_capacity IS NULL OR p.lead_capacity > (
                SELECT count(*) FROM partner_shares s JOIN leads l ON l.id = s.record_id
                 WHERE s.partner_id = p.id AND s.record_type = 'leads' AND l.deleted_at IS NULL
                   AND l.status IN ${OPEN_LEADS}))
        ORDER BY (SELECT max(s.created_at) FROM partner_shares s
                   WHERE s.partner_id = p.id AND s.via = 'rule') NULLS FIRST, p.created_at, p.id
        LIMIT 1`,
      [rule.partnerTiers, lead.country],
    );
    return row?.id ?? null;
  }
}
