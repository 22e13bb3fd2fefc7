import { Injectable } from '@nestjs/common';
import { CONTACT_DEFINITION } from '#operational/customers/index.js';
import { PermissionEvaluator } from '#platform/access/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { AppError } from '#platform/http/index.js';
import { RecordService, type ApiRecord, type ResourceDefinition } from '#platform/records/index.js';

/**
 * The contact a preference, consent or hold-back request is about, under the contact's own
 * rules: outside the caller's read scope it does not exist (404); reading it is enough to see
 * its preferences, changing them needs update on the contact (403 without the right, also
 * when the contact lies outside the update scope).
 */
@Injectable()
export class ContactAccess {
  constructor(
    private readonly records: RecordService,
    private readonly permissions: PermissionEvaluator,
  ) {}

  readable(ctx: RequestContext, contactId: string): Promise<ApiRecord> {
    return this.records.load(ctx, CONTACT_DEFINITION, contactId);
  }

  async updatable(ctx: RequestContext, contactId: string): Promise<ApiRecord> {
    const scope = this.permissions.require(ctx.user, 'contacts', 'update');
    const contact = await this.records.load(ctx, CONTACT_DEFINITION, contactId);
    if (!this.permissions.inScope(ctx.user, scope, contact))
      throw AppError.forbidden('update', 'contacts');
    return contact;
  }

  /** For the contact's own links and the system's work: any live contact, no caller. */
  system(ctx: RequestContext, contactId: string): Promise<ApiRecord> {
    return this.records.load(ctx.withPrincipal(SYSTEM), CONTACT_DEFINITION, contactId);
  }

  /** The context a background job writes in: every record, nothing hidden. */
  asSystem(ctx: RequestContext): RequestContext {
    return ctx.withPrincipal(SYSTEM);
  }

  /** Another live record the contact hangs off (its account), or null. */
  async systemRecord(
    ctx: RequestContext,
    def: ResourceDefinition,
    id: string,
  ): Promise<ApiRecord | null> {
    try {
      return await this.records.load(ctx.withPrincipal(SYSTEM), def, id);
    } catch (e) {
      if (e instanceof AppError && e.status === 404) return null;
      throw e;
    }
  }
}

/** Reads contacts on behalf of the contact or a background job: every record, nothing hidden. */
const SYSTEM = {
  userId: '00000000-0000-0000-0000-000000000000',
  email: 'system@localhost',
  roleId: '00000000-0000-0000-0000-000000000000',
  roleName: 'system',
  teamIds: [],
  teammateIds: [],
  permissions: { admin: true, entities: {}, fields: {} },
  apiKeyId: null,
};
