import { Injectable } from '@nestjs/common';
import { ACCOUNT_DEFINITION, CONTACT_DEFINITION } from '#operational/customers/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { DatabaseService } from '#platform/database/index.js';
import { AppError } from '#platform/http/index.js';
import {
  querySchemaOf,
  RecordService,
  type ApiRecord,
  type ResourceDefinition,
} from '#platform/records/index.js';
import { CAMPAIGN_DEFINITION } from '../campaigns/index.js';
import { ContactAccess } from '../preferences/contact-access.js';
import { MessageLinks } from '../public/message-links.js';
import type { MergeFieldCatalog } from './template-engine.js';

const OWNER_FIELDS = new Set(['id', 'email', 'firstName', 'lastName', 'name']);
const LINK_FIELDS = new Set(['preferences', 'unsubscribe']);
export const MERGE_ROOTS = ['contact', 'account', 'owner', 'campaign', 'links', 'event'] as const;

/** Whether `path` names a field of the record type: a top-level attribute or `customFields.<code>`. */
function recordFields(def: ResourceDefinition): (path: readonly string[]) => boolean {
  return (path) => {
    if (path.length === 0) return false;
    const names = [...querySchemaOf(def).fields.keys()];
    if (path[0] === 'customFields')
      return path.length >= 2 && names.includes(`customFields.${path[1]}`);
    return (
      def.attributes.some((a) => a.name === path[0]) ||
      names.some((n) => n === path[0] || n.startsWith(`${path[0]}.`))
    );
  };
}

export interface MergeContext {
  contactId: string | null;
  campaign?: ApiRecord | null;
  /** The domain event an automation reacts to. */
  event?: Record<string, unknown> | null;
  /** The message the links belong to, when it is known. */
  messageId?: string | null;
}

/**
 * The values a template reads: the contact (with custom fields), its account and owner, the
 * campaign, the contact's own preference and unsubscribe links, and an automation's event.
 */
@Injectable()
export class TemplateMergeData {
  readonly catalog: MergeFieldCatalog = new Map([
    ['contact', recordFields(CONTACT_DEFINITION)],
    ['account', recordFields(ACCOUNT_DEFINITION)],
    ['campaign', recordFields(CAMPAIGN_DEFINITION)],
    ['owner', (p: readonly string[]) => p.length === 1 && OWNER_FIELDS.has(p[0])],
    ['links', (p: readonly string[]) => p.length === 1 && LINK_FIELDS.has(p[0])],
    ['event', (p: readonly string[]) => p.length >= 1],
  ]);

  constructor(
    private readonly db: DatabaseService,
    private readonly records: RecordService,
    private readonly access: ContactAccess,
    private readonly links: MessageLinks,
  ) {}

  /**
   * The merge values for a contact. With a caller, the contact must be readable and its
   * hidden fields stay hidden; without one (a send), every field is there.
   */
  async build(ctx: RequestContext, of: MergeContext, asCaller: boolean) {
    const data: Record<string, unknown> = {
      campaign: of.campaign ? this.plain(ctx, CAMPAIGN_DEFINITION, of.campaign, asCaller) : {},
      event: of.event ?? {},
      contact: {},
      account: {},
      owner: {},
      links: {},
    };
    if (!of.contactId) return data;
    const contact = asCaller
      ? await this.access.readable(ctx, of.contactId)
      : await this.access.system(ctx, of.contactId);
    data.contact = this.plain(ctx, CONTACT_DEFINITION, contact, asCaller);
    const accountId = contact.accountId as string | null;
    const account = accountId
      ? await this.access.systemRecord(ctx, ACCOUNT_DEFINITION, accountId)
      : null;
    if (account) data.account = this.plain(ctx, ACCOUNT_DEFINITION, account, asCaller);
    const owner = await this.db.one<Record<string, string | null>>(
      ctx,
      `SELECT id, email, first_name AS "firstName", last_name AS "lastName",
              nullif(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), '') AS name
         FROM users WHERE id = $1`,
      [contact.ownerId],
    );
    data.owner = owner ?? {};
    data.links = {
      preferences: this.links.preferences(of.contactId, of.messageId ?? null),
      unsubscribe: this.links.unsubscribe(of.contactId, of.messageId ?? null),
    };
    return data;
  }

  /** Sample values laid over the built ones, root by root; an unknown root is a 400. */
  overlay(data: Record<string, unknown>, sample: Record<string, unknown> | undefined) {
    for (const [root, values] of Object.entries(sample ?? {})) {
      if (!(MERGE_ROOTS as readonly string[]).includes(root))
        throw AppError.field('sample', 'isIn', `${root} is not one of ${MERGE_ROOTS.join(', ')}`);
      if (typeof values !== 'object' || values === null || Array.isArray(values))
        throw AppError.field('sample', 'isObject', `${root} must be an object of values`);
      data[root] = { ...(data[root] as object), ...values };
    }
    return data;
  }

  private plain(ctx: RequestContext, def: ResourceDefinition, r: ApiRecord, asCaller: boolean) {
    return JSON.parse(JSON.stringify(asCaller ? this.records.present(ctx, def, r) : r)) as Record<
      string,
      unknown
    >;
  }
}
