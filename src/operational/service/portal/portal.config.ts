import { defineConfigSection, type ConfigComposition } from '#platform/config/index.js';
import { UUID } from '../service.config.js';

/** The `portal` section of crm.config.yaml: the customer self-service portal. */
export interface PortalConfig {
  /**
   * Where the portal's front-end lives; an invitation links to
   * `<baseUrl>/accept-invitation?token=…`.
   */
  readonly baseUrl: string;
  /** Sender of invitation mails. */
  readonly fromAddress: string;
  readonly fromName: string;
  /** How long an invitation link can be used. */
  readonly invitationTtlHours: number;
  /** The queue a case opened on the portal joins (its routing picks the assignee); none: no queue. */
  readonly caseQueueId: string | null;
  /** Who owns a case opened on the portal; none: the customer's contact owner. */
  readonly caseOwnerId: string | null;
}

export const PORTAL_SECTION = defineConfigSection<PortalConfig>({
  key: 'portal',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      baseUrl: { type: 'string', pattern: '^https?://[^\\s/]+(/[^\\s]*)?$', maxLength: 300 },
      fromAddress: { type: 'string', pattern: '^[^\\s@<>]+@[^\\s@<>]+$', maxLength: 254 },
      fromName: { type: 'string', minLength: 1, maxLength: 100 },
      invitationTtlHours: { type: 'integer', minimum: 1, maximum: 720 },
      caseQueueId: { type: 'string', pattern: UUID },
      caseOwnerId: { type: 'string', pattern: UUID },
    },
  },
  resolve: (given) => {
    const g = (given ?? {}) as Partial<PortalConfig>;
    return {
      baseUrl: (g.baseUrl ?? 'http://localhost:3000/portal').replace(/\/+$/, ''),
      fromAddress: g.fromAddress ?? 'support@localhost',
      fromName: g.fromName ?? 'Customer support',
      invitationTtlHours: g.invitationTtlHours ?? 72,
      caseQueueId: g.caseQueueId ?? null,
      caseOwnerId: g.caseOwnerId ?? null,
    };
  },
});

export const PORTAL_CONFIG: ConfigComposition = {
  sections: [PORTAL_SECTION],
  reservedPaths: ['portal'],
};
