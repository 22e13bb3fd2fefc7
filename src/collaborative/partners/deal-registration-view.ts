import type {
  DealRegistrationDto,
  PartnerDealRegistrationDto,
} from './dto/deal-registration.dto.js';

export interface RegistrationRow {
  id: string;
  partner_id: string;
  submitted_by_id: string;
  account_name: string;
  account_domain: string | null;
  contact: { name: string; email?: string; phone?: string } | null;
  product_interest: string[];
  estimated_amount: string | null;
  estimated_currency: string | null;
  expected_close_date: string | null;
  notes: string | null;
  status: 'submitted' | 'approved' | 'rejected' | 'expired';
  reject_reason: string | null;
  decided_by_id: string | null;
  decided_at: Date | null;
  account_id: string | null;
  opportunity_id: string | null;
  expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** Columns read for a registration; the date as text so no time zone moves it. */
export const REGISTRATION_COLUMNS = `dr.id, dr.partner_id, dr.submitted_by_id, dr.account_name,
  dr.account_domain, dr.contact, dr.product_interest, dr.estimated_amount::text AS estimated_amount,
  dr.estimated_currency, dr.expected_close_date::text AS expected_close_date, dr.notes, dr.status,
  dr.reject_reason, dr.decided_by_id, dr.decided_at, dr.account_id, dr.opportunity_id,
  dr.expires_at, dr.created_at, dr.updated_at, dr.version`;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The partner's view: its own submission and where it stands, nothing of the company's. */
export function partnerRegistrationView(r: RegistrationRow): PartnerDealRegistrationDto {
  return {
    id: r.id,
    status: r.status,
    accountName: r.account_name,
    ...(r.account_domain ? { accountDomain: r.account_domain } : {}),
    ...(r.contact ? { contact: r.contact } : {}),
    productInterest: r.product_interest,
    ...(r.estimated_amount !== null
      ? { estimatedAmount: { amount: r.estimated_amount, currency: r.estimated_currency! } }
      : {}),
    ...(r.expected_close_date ? { expectedCloseDate: r.expected_close_date } : {}),
    ...(r.notes !== null ? { notes: r.notes } : {}),
    rejectReason: r.reject_reason,
    decidedAt: iso(r.decided_at),
    expiresAt: iso(r.expires_at),
    opportunityId: r.status === 'approved' ? r.opportunity_id : null,
    submittedById: r.submitted_by_id,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

export function staffRegistrationView(r: RegistrationRow): DealRegistrationDto {
  return {
    ...partnerRegistrationView(r),
    opportunityId: r.opportunity_id,
    partnerId: r.partner_id,
    accountId: r.account_id,
    decidedById: r.decided_by_id,
  };
}

/** A web domain as compared: lower case, without scheme, `www.` or path. */
export function normalizeDomain(domain: string): string {
  return domain
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/:?#].*$/, '');
}

/** The same in SQL, for account websites. */
export const domainSql = (expr: string) =>
  `regexp_replace(regexp_replace(regexp_replace(lower(${expr}), '^[a-z]+://', ''), '^www\\.', ''), '[/:?#].*$', '')`;
