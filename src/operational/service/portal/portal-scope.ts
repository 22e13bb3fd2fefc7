import { actingForAudience } from '#platform/auth/index.js';
import type { RequestContext } from '#platform/context/index.js';
import { AppError } from '#platform/http/index.js';
import type { ExtraWhere, ListRequest } from '#platform/query/index.js';
import type { ApiRecord } from '#platform/records/index.js';
import { PORTAL_AUDIENCE, type PortalPrincipal } from './portal-sessions.js';

/**
 * Who the portal's writes are recorded as (`createdById`, `updatedById`, the history's
 * `actorId`): the portal itself, never a staff member, so an audit does not blame the person
 * who once invited the customer and the portal keeps working after that person leaves. The
 * customer is named where it matters (the comment's author contact, the case's contact).
 */
export const PORTAL_ACTOR_ID = '00000000-0000-4000-8000-00000000f001';

/** The portal's reads and writes: every grant, after its own check that the record is the customer's. */
export function portalContext(ctx: RequestContext): RequestContext {
  return actingForAudience(ctx, PORTAL_AUDIENCE, PORTAL_ACTOR_ID);
}

/** Whether a record with these parties belongs to the customer. */
export function ownedBy(p: PortalPrincipal, r: ApiRecord | Record<string, unknown>): boolean {
  return r.contactId === p.contactId || (p.accountId !== null && r.accountId === p.accountId);
}

/** 404 for a record of another customer, exactly as for one that does not exist. */
export function mustOwn(p: PortalPrincipal, r: ApiRecord, noun: string): ApiRecord {
  if (!ownedBy(p, r)) throw AppError.notFound(noun, r.id);
  return r;
}

/** The list predicate of `ownedBy` for a table aliased `alias`. */
export function ownedWhere(p: PortalPrincipal, alias: string, byContact = true): ExtraWhere {
  return (params) => {
    const parts = byContact ? [`${alias}.contact_id = ${params.add(p.contactId)}`] : [];
    if (p.accountId) parts.push(`${alias}.account_id = ${params.add(p.accountId)}`);
    return parts.length ? `(${parts.join(' OR ')})` : 'false';
  };
}

type FilterTree =
  { and: FilterTree[] } | { or: FilterTree[] } | { not: FilterTree } | { field: string };

function filterFields(node: FilterTree | null, into: string[] = []): string[] {
  if (!node) return into;
  if ('and' in node) node.and.forEach((n) => filterFields(n, into));
  else if ('or' in node) node.or.forEach((n) => filterFields(n, into));
  else if ('not' in node) filterFields(node.not, into);
  else into.push(node.field);
  return into;
}

/**
 * A list request a customer may make: filters and sorts only on the fields they see, no
 * `fields` or `include` (the portal's view decides what is shown).
 */
export function customerListRequest(request: ListRequest, visible: readonly string[]): ListRequest {
  const hidden = [
    ...filterFields(request.filter as FilterTree | null).map((f) => `filter[${f}]`),
    ...request.sort.map((s) => s.field).filter((f) => !visible.includes(f)),
  ].filter((f) => !visible.some((v) => f === v || f === `filter[${v}]`));
  const errors = hidden.map((field) => ({
    field,
    rule: 'isIn',
    message: `must be one of: ${visible.join(', ')}`,
  }));
  if (request.fields !== null)
    errors.push({ field: 'fields', rule: 'whitelist', message: 'is not available here' });
  if (request.include.length)
    errors.push({ field: 'include', rule: 'whitelist', message: 'is not available here' });
  if (errors.length) throw AppError.validation(errors);
  return request;
}
