import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CRM_CONFIG, CrmConfigError, type CrmConfig } from '#platform/config/index.js';
import type { RequestContext } from '#platform/context/index.js';
import type { CustomFieldConfig } from '#platform/customization/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { EventOutbox } from '#platform/events/index.js';
import { AppError, validateDto, type DtoClass } from '#platform/http/index.js';
import type { ApiRecord } from '#platform/records/index.js';
import { TimelineService, type RecordRef } from '#platform/timeline/index.js';
import {
  AccountsService,
  CreateAccountDto,
  ContactsService,
  CreateContactDto,
} from '#operational/customers/index.js';
import { CreateOpportunityDto } from '../opportunities/dto/opportunity.dto.js';
import { OpportunitiesService } from '../opportunities/opportunities.service.js';
import type { ConvertLeadDto } from './dto/convert-lead.dto.js';
import { LEAD_CONVERSION_CONFIG, type LeadConversionConfig } from './lead-conversion.config.js';
import { LEAD_CONVERTED } from './leads.events.js';
import { LeadsService } from './leads.service.js';

type Target = 'accounts' | 'contacts' | 'opportunities';
type Created = Record<string, unknown> & { id: string; version: number };
type Address = Record<string, unknown> & { label?: string };

const TARGETS: readonly Target[] = ['accounts', 'contacts', 'opportunities'];

/**
 * Turns a lead into what it describes — an account, a contact and optionally an opportunity,
 * each made (or linked) through its own service and rules — and marks the lead converted
 * with links to them, all in one transaction: any failure leaves nothing behind.
 */
@Injectable()
export class LeadConversionService implements OnModuleInit {
  private readonly customFieldMap: LeadConversionConfig['customFieldMap'];

  constructor(
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
    private readonly db: DatabaseService,
    private readonly outbox: EventOutbox,
    private readonly leads: LeadsService,
    private readonly accounts: AccountsService,
    private readonly contacts: ContactsService,
    private readonly opportunities: OpportunitiesService,
    private readonly timeline: TimelineService,
  ) {
    this.customFieldMap = LEAD_CONVERSION_CONFIG.read(config).customFieldMap;
  }

  onModuleInit(): void {
    this.timeline.defineTypes('lead_converted');
    const problems = customFieldMapProblems(this.config);
    if (problems.length) throw new CrmConfigError('crm.config.yaml (leadConversion)', problems);
  }

  async convert(ctx: RequestContext, id: string, body: ConvertLeadDto, ifMatch?: string) {
    if (body.accountId && body.createAccount)
      throw AppError.field('createAccount', 'invalid', 'cannot be combined with accountId');
    if (body.contactId && body.createContact)
      throw AppError.field('createContact', 'invalid', 'cannot be combined with contactId');
    return this.db.transaction(ctx, async (tx) => {
      const lead = await this.leads.lockForAction(tx, id, ifMatch);
      const owner = { ownerId: lead.ownerId, teamId: lead.teamId };
      const has = (v: unknown) => typeof v === 'string' && v.trim() !== '';

      let account: Created | null = null;
      if (body.accountId) {
        account = await this.linked(tx, this.accounts, body.accountId, 'accountId', 'account');
      } else if (body.createAccount ?? has(lead.company)) {
        if (!has(lead.company))
          throw AppError.field('createAccount', 'invalid', 'needs a lead with a company');
        account = await this.make(tx, 'account', CreateAccountDto, this.accounts, {
          name: lead.company,
          industry: lead.industry ?? undefined,
          website: lead.website ?? undefined,
          phones: lead.phone ? [{ number: lead.phone, label: 'work' }] : undefined,
          addresses: lead.address
            ? [{ ...(lead.address as Address), label: (lead.address as Address).label ?? 'office' }]
            : undefined,
          ...owner,
          customFields: this.mapped(lead, 'accounts'),
        });
      }

      let contact: Created | null = null;
      if (body.contactId) {
        contact = await this.linked(tx, this.contacts, body.contactId, 'contactId', 'contact');
      } else if (body.createContact ?? has(lead.lastName)) {
        if (!has(lead.lastName))
          throw AppError.field('createContact', 'invalid', 'needs a lead with a last name');
        contact = await this.make(tx, 'contact', CreateContactDto, this.contacts, {
          salutation: lead.salutation ?? undefined,
          firstName: lead.firstName ?? undefined,
          lastName: lead.lastName,
          email: lead.email ?? undefined,
          phones: lead.phone ? [{ number: lead.phone, label: 'work' }] : undefined,
          title: lead.title ?? undefined,
          accountId: account?.id,
          description: lead.description ?? undefined,
          ...owner,
          customFields: this.mapped(lead, 'contacts'),
        });
      }

      let opportunity: Created | null = null;
      if (body.createOpportunity) {
        if (!account)
          throw AppError.field(
            'createOpportunity',
            'invalid',
            'needs an account: give accountId or convert a lead with a company',
          );
        const fullName = [lead.firstName, lead.lastName].filter(has).join(' ');
        opportunity = await this.make(
          tx,
          'createOpportunity',
          CreateOpportunityDto,
          this.opportunities,
          {
            name: lead.company ?? fullName,
            ...body.createOpportunity,
            accountId: account.id,
            primaryContactId: contact?.id,
            ...owner,
            customFields: this.mapped(lead, 'opportunities'),
          },
        );
      }

      const converted = await this.leads.markConverted(tx, id, {
        convertedAccountId: account?.id ?? null,
        convertedContactId: contact?.id ?? null,
        convertedOpportunityId: opportunity?.id ?? null,
      });
      const created = {
        account: !!account && !body.accountId,
        contact: !!contact && !body.contactId,
        opportunity: !!opportunity,
      };
      await this.outbox.append(tx, [
        LEAD_CONVERTED.of(id, {
          accountId: account?.id ?? null,
          contactId: contact?.id ?? null,
          opportunityId: opportunity?.id ?? null,
          created,
          ownerId: lead.ownerId,
        }),
      ]);
      await this.putOnTimelines(tx, lead, { account, contact, opportunity });
      return { lead: converted.view, account, contact, opportunity, created };
    });
  }

  /** The conversion shows on the lead's timeline and on those of what it became. */
  private async putOnTimelines(
    tx: RequestContext,
    lead: ApiRecord,
    became: Partial<Record<'account' | 'contact' | 'opportunity', { id: string } | null>>,
  ): Promise<void> {
    const subjects: RecordRef[] = [{ entity: 'leads', id: lead.id }];
    if (became.account) subjects.push({ entity: 'accounts', id: became.account.id });
    if (became.contact) subjects.push({ entity: 'contacts', id: became.contact.id });
    if (became.opportunity) subjects.push({ entity: 'opportunities', id: became.opportunity.id });
    const name = [lead.firstName, lead.lastName].filter(Boolean).join(' ') || lead.company;
    await this.timeline.put(tx, {
      type: 'lead_converted',
      key: 'converted',
      source: { entity: 'leads', id: lead.id },
      subjects,
      occurredAt: new Date(),
      title: `Lead ${String(name)} converted`,
      data: {
        accountId: became.account?.id ?? null,
        contactId: became.contact?.id ?? null,
        opportunityId: became.opportunity?.id ?? null,
      },
    });
  }

  /** Lead custom fields carried to the target as `leadConversion.customFieldMap` says. */
  private mapped(lead: ApiRecord, target: Target): Record<string, unknown> {
    const values = (lead.customFields ?? {}) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [from, to] of Object.entries(this.customFieldMap[target] ?? {}))
      if (values[from] !== undefined && values[from] !== null) out[to] = values[from];
    return out;
  }

  /** An existing record to link: readable by the caller, else a 400 naming the field. */
  private async linked(
    tx: RequestContext,
    service: AccountsService | ContactsService,
    id: string,
    field: string,
    label: string,
  ): Promise<Created> {
    try {
      const { record, version } = await service.get(tx, id);
      return { ...record, id, version };
    } catch (e) {
      if (e instanceof AppError && (e.code === 'not_found' || e.code === 'forbidden'))
        throw AppError.field(field, 'notFound', `refers to a ${label} that does not exist`);
      throw e;
    }
  }

  /**
   * A new record through its own service, its input checked by its own DTO; field errors
   * come back under the record's name (`contact.lastName`, `createOpportunity.stage`) so the
   * caller knows which one.
   */
  private async make(
    tx: RequestContext,
    prefix: string,
    dto: DtoClass<object>,
    service: AccountsService | ContactsService | OpportunitiesService,
    input: Record<string, unknown>,
  ): Promise<Created> {
    const clean = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    try {
      return await service.create(tx, { ...(await validateDto(dto, clean)) });
    } catch (e) {
      if (e instanceof AppError && e.code === 'validation_failed' && e.errors)
        throw AppError.validation(e.errors.map((f) => ({ ...f, field: `${prefix}.${f.field}` })));
      throw e;
    }
  }
}

/** Every mapped code must be a stored custom field of the lead and of the target, of one type. */
function customFieldMapProblems(config: CrmConfig): string[] {
  const stored = (entity: string) =>
    new Map(
      (config.customization[entity]?.fields ?? [])
        .filter((f) => f.type !== 'formula' && f.type !== 'rollup')
        .map((f) => [f.code, f] as [string, CustomFieldConfig]),
    );
  const leadFields = stored('leads');
  const problems: string[] = [];
  for (const target of TARGETS) {
    const targetFields = stored(target);
    for (const [from, to] of Object.entries(
      LEAD_CONVERSION_CONFIG.read(config).customFieldMap[target] ?? {},
    )) {
      const at = `/leadConversion/customFieldMap/${target}/${from}`;
      const source = leadFields.get(from);
      const dest = targetFields.get(to);
      if (!source) problems.push(`${at}: "${from}" is not a custom field of leads`);
      if (!dest) problems.push(`${at}: "${to}" is not a custom field of ${target}`);
      if (source && dest && source.type !== dest.type)
        problems.push(`${at}: a ${source.type} cannot fill a ${dest.type} field`);
    }
  }
  return problems;
}
