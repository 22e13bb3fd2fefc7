import type { PipelineConfig } from './pipelines.config.js';

/** The pipeline in force when crm.config.yaml declares none. */
export const DEFAULT_PIPELINE: PipelineConfig = {
  key: 'sales',
  label: { en: 'Sales', id: 'Penjualan' },
  default: true,
  stages: [
    {
      key: 'qualification',
      label: { en: 'Qualification', id: 'Kualifikasi' },
      probability: 10,
      kind: 'open',
    },
    {
      key: 'needs_analysis',
      label: { en: 'Needs analysis', id: 'Analisis kebutuhan' },
      probability: 25,
      kind: 'open',
    },
    {
      key: 'proposal',
      label: { en: 'Proposal', id: 'Proposal' },
      probability: 50,
      kind: 'open',
      requiredFields: ['amount'],
    },
    {
      key: 'negotiation',
      label: { en: 'Negotiation', id: 'Negosiasi' },
      probability: 80,
      kind: 'open',
      requiredFields: ['amount', 'expectedCloseDate'],
    },
    {
      key: 'won',
      label: { en: 'Closed won', id: 'Berhasil' },
      probability: 100,
      kind: 'won',
      requiredFields: ['amount'],
    },
    { key: 'lost', label: { en: 'Closed lost', id: 'Gagal' }, probability: 0, kind: 'lost' },
  ],
};
