import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of campaigns; `{name}` comes from the params. */
export const CAMPAIGN_PROBLEMS_CATALOG = {
  campaign_status_transition: {
    status: 409,
    en: [
      'Status change not allowed',
      'A campaign in status {from} cannot be {action}; that needs status {allowed}.',
    ],
    id: [
      'Perubahan status tidak diizinkan',
      'Kampanye berstatus {from} tidak dapat di-{action}; status yang diperlukan: {allowed}.',
    ],
    extensions: {
      campaignStatus: {
        type: 'string',
        maxLength: 20,
        example: 'completed',
        description: 'Status the campaign is in',
      },
    },
  },
  campaign_approval_required: {
    status: 409,
    en: [
      'Campaign not approved',
      'The budget {budget} is above the approval threshold of {threshold}; approve the campaign before it starts.',
    ],
    id: [
      'Kampanye belum disetujui',
      'Anggaran {budget} melebihi ambang persetujuan {threshold}; setujui kampanye sebelum dimulai.',
    ],
  },
  campaign_approval_forbidden: {
    status: 403,
    en: [
      'Not an approver',
      'Your role {role} cannot approve campaigns; approvers are: {approvers}.',
    ],
    id: [
      'Bukan pemberi persetujuan',
      'Peran Anda {role} tidak dapat menyetujui kampanye; pemberi persetujuan: {approvers}.',
    ],
  },
  campaign_budget_locked: {
    status: 409,
    en: ['Budget fixed', 'The campaign is {status}; its budget changes only while it is planned.'],
    id: [
      'Anggaran terkunci',
      'Kampanye berstatus {status}; anggarannya hanya dapat diubah selama direncanakan.',
    ],
  },
  campaign_parent_cycle: {
    status: 422,
    en: ['Campaigns nest in a circle', 'The campaign would be its own parent: {chain}.'],
    id: ['Kampanye bersarang melingkar', 'Kampanye akan menjadi induknya sendiri: {chain}.'],
  },
  campaign_member_status_transition: {
    status: 409,
    en: ['Member status change not allowed', 'A member who is {from} cannot become {to}.'],
    id: [
      'Perubahan status anggota tidak diizinkan',
      'Anggota berstatus {from} tidak dapat menjadi {to}.',
    ],
  },
  campaign_not_telemarketing: {
    status: 409,
    en: [
      'Not a telemarketing campaign',
      'Call tasks are made for telemarketing campaigns; this one is {type}.',
    ],
    id: [
      'Bukan kampanye telemarketing',
      'Tugas panggilan dibuat untuk kampanye telemarketing; kampanye ini bertipe {type}.',
    ],
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    campaign_status_transition: true;
    campaign_approval_required: true;
    campaign_approval_forbidden: true;
    campaign_budget_locked: true;
    campaign_parent_cycle: true;
    campaign_member_status_transition: true;
    campaign_not_telemarketing: true;
  }
}

export const CAMPAIGN_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'campaigns', problems: CAMPAIGN_PROBLEMS_CATALOG },
];
