import { CrmConfigError, parseCrmConfig } from '#platform/config/crm-config.js';
import { PipelineCatalog } from './pipeline-catalog.js';
import { SALES_CONFIG } from '../sales.config.js';

const withPipelines = (yaml: string) => parseCrmConfig(`version: 1\n${yaml}`, 'test', SALES_CONFIG);

describe('PipelineCatalog', () => {
  it('falls back to the built-in pipeline and starts opportunities in its first open stage', () => {
    const catalog = new PipelineCatalog(parseCrmConfig('version: 1\n', 'f', SALES_CONFIG));
    catalog.onModuleInit();
    expect(catalog.all().map((p) => p.key)).toEqual(['sales']);
    expect(catalog.defaultPipeline.key).toBe('sales');
    expect(catalog.firstOpenStage(catalog.defaultPipeline).key).toBe('qualification');
    expect(catalog.stage('sales', 'lost')).toMatchObject({ kind: 'lost', probability: 0 });
    expect(catalog.stage('sales', 'nope')).toBeUndefined();
    expect(catalog.find(42)).toBeUndefined();
    expect(() => catalog.get('nope')).toThrow('not_found');
  });

  it('takes the pipeline marked default, else the first', () => {
    const stages = `
    stages:
      - { key: a, label: { en: A }, probability: 10, kind: open }
      - { key: w, label: { en: W }, probability: 100, kind: won }
      - { key: l, label: { en: L }, probability: 0, kind: lost }`;
    const first = new PipelineCatalog(
      withPipelines(
        `pipelines:\n  - key: p\n    label: { en: P }${stages}\n  - key: q\n    label: { en: Q }${stages}\n`,
      ),
    );
    expect(first.defaultPipeline.key).toBe('p');
    const marked = new PipelineCatalog(
      withPipelines(
        `pipelines:\n  - key: p\n    label: { en: P }${stages}\n  - key: q\n    label: { en: Q }\n    default: true${stages}\n`,
      ),
    );
    expect(marked.defaultPipeline.key).toBe('q');
    expect(marked.all().map((p) => p.isDefault)).toEqual([false, true]);
  });

  it('refuses required fields that are not opportunity fields, at module start', () => {
    const config = withPipelines(`
customization:
  opportunities:
    fields: [{ code: region, type: text, label: { en: Region } }]
pipelines:
  - key: p
    label: { en: P }
    stages:
      - { key: a, label: { en: A }, probability: 10, kind: open, requiredFields: [customFields.region, amount] }
      - { key: b, label: { en: B }, probability: 20, kind: open, requiredFields: [customFields.zone, budget] }
      - { key: w, label: { en: W }, probability: 100, kind: won }
      - { key: l, label: { en: L }, probability: 0, kind: lost }
`);
    const catalog = new PipelineCatalog(config);
    let error: unknown;
    try {
      catalog.onModuleInit();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CrmConfigError);
    expect((error as CrmConfigError).problems).toEqual([
      expect.stringContaining('stage "b" requires unknown field "customFields.zone"'),
      expect.stringContaining('stage "b" requires unknown field "budget"'),
    ]);
  });

  it('parsing refuses duplicate keys and pipelines without a closing pair', () => {
    expect(() =>
      withPipelines(`pipelines:
  - key: p
    label: { en: P }
    stages:
      - { key: a, label: { en: A }, probability: 10, kind: open }
      - { key: b, label: { en: B }, probability: 10, kind: open }
  - key: p
    label: { en: P again }
    stages:
      - { key: a, label: { en: A }, probability: 10, kind: open }
      - { key: l, label: { en: L }, probability: 0, kind: lost }
`),
    ).toThrow(/needs at least one won stage[\s\S]*key "p" is declared twice/);
    expect(() =>
      withPipelines(`pipelines:
  - key: Bad-Key
    label: { en: P }
    stages: []
`),
    ).toThrow('/pipelines/0/key');
  });
});
