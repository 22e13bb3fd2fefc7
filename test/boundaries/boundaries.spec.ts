import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * `npm run lint:boundaries` must fail, naming the rule, when a forbidden import is added. The
 * repository's own dependency-cruiser config is run over a small tree of features written to a
 * temporary folder, so the test neither edits src/ nor depends on which modules exist today.
 * The config's resolve file is copied too, so #platform/… points at that folder's src/.
 */
const repo = process.cwd();
const depcruise = join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Cruise {
  status: number | null;
  output: string;
}

function cruise(files: Record<string, string>): Cruise {
  const dir = mkdtempSync(join(tmpdir(), 'relasi-boundaries-'));
  try {
    for (const config of ['.dependency-cruiser.js', '.dependency-cruiser.resolve.js']) {
      copyFileSync(join(repo, config), join(dir, config));
    }
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const run = spawnSync(
      process.execPath,
      [
        depcruise,
        'src',
        '--config',
        '.dependency-cruiser.js',
        '--output-type',
        'err-long',
        '--no-progress',
      ],
      { cwd: dir, encoding: 'utf8', timeout: 30_000 },
    );
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Two platform areas and two operational modules, each used through its index.ts. */
const WELL_FORMED: Record<string, string> = {
  'src/platform/http/app-error.ts': 'export class AppError extends Error {}\n',
  'src/platform/http/index.ts': "export { AppError } from './app-error.js';\n",
  'src/platform/records/record.service.ts':
    "import { AppError } from '../http/app-error.js';\nexport class RecordService { fail = AppError; }\n",
  'src/platform/records/index.ts': "export { RecordService } from './record.service.js';\n",
  'src/operational/customers/accounts/accounts.service.ts':
    "import { RecordService } from '#platform/records/index.js';\n" +
    'export class AccountsService extends RecordService {}\n',
  'src/operational/customers/index.ts':
    "export { AccountsService } from './accounts/accounts.service.js';\n",
  'src/operational/sales/leads/leads.service.ts':
    "import { AppError } from '#platform/http/index.js';\n" +
    "import { AccountsService } from '#operational/customers/index.js';\n" +
    'export class LeadsService { deps = [AppError, AccountsService]; }\n',
  'src/operational/sales/index.ts': "export { LeadsService } from './leads/leads.service.js';\n",
  'src/app.module.ts':
    "import { LeadsService } from '#operational/sales/leads/leads.service.js';\n" +
    'export const providers = [LeadsService];\n',
};

/**
 * One forbidden import per rule, each in a file of its own, plus the text of the rule's
 * message that must be printed with it.
 */
const FORBIDDEN: { rule: string; path: string; text: string; edge: string; message: string }[] = [
  {
    rule: 'no-deep-import-into-feature',
    path: 'src/operational/sales/leads/lead-notes.ts',
    text: "import { RecordService } from '#platform/records/record.service.js';\nexport const base = RecordService;\n",
    edge: 'src/operational/sales/leads/lead-notes.ts → src/platform/records/record.service.ts',
    message: 'Another feature is used only through its public file',
  },
  {
    rule: 'no-deep-import-into-feature',
    path: 'src/operational/sales/leads/lead-owner.ts',
    text: "import { AccountsService } from '../../customers/accounts/accounts.service.js';\nexport const owner = AccountsService;\n",
    edge: 'src/operational/sales/leads/lead-owner.ts → src/operational/customers/accounts/accounts.service.ts',
    message: 'Another feature is used only through its public file',
  },
  {
    rule: 'platform-not-to-domain',
    path: 'src/platform/http/lead-errors.ts',
    text: "import { LeadsService } from '#operational/sales/index.js';\nexport const leads = LeadsService;\n",
    edge: 'src/platform/http/lead-errors.ts → src/operational/sales/index.ts',
    message: 'The platform knows no CRM domain',
  },
  {
    rule: 'operational-not-to-analytical-or-collaborative',
    path: 'src/operational/customers/accounts/account-value.ts',
    text: "import { Profitability } from '#analytical/profitability/index.js';\nexport const value = Profitability;\n",
    edge: 'src/operational/customers/accounts/account-value.ts → src/analytical/profitability/index.ts',
    message: 'Publish a domain event',
  },
  {
    rule: 'no-own-index-import',
    path: 'src/operational/sales/leads/lead-rules.ts',
    text: "import { LeadsService } from '../index.js';\nexport const rules = LeadsService;\n",
    edge: 'src/operational/sales/leads/lead-rules.ts → src/operational/sales/index.ts',
    message: "A feature's own files import each other directly",
  },
  {
    rule: 'feature-not-to-composition-root',
    path: 'src/operational/sales/leads/lead-providers.ts',
    text: "import { providers } from '../../../app.module.js';\nexport const all = providers;\n",
    edge: 'src/operational/sales/leads/lead-providers.ts → src/app.module.ts',
    message: 'a feature must not import them back',
  },
  {
    rule: 'src-not-to-tests-or-tools',
    path: 'src/operational/sales/leads/lead-fixtures.ts',
    text: "import { lead } from '../../../../test/support/factories.js';\nexport const sample = lead;\n",
    edge: 'src/operational/sales/leads/lead-fixtures.ts → test/support/factories.ts',
    message: 'Shipped code must not depend on tests',
  },
];

/** Customers and sales import each other: a cycle between two operational modules. */
const CYCLE: Record<string, string> = {
  'src/operational/customers/accounts/account-leads.ts':
    "import { LeadsService } from '#operational/sales/index.js';\nexport const leads = LeadsService;\n",
  'src/operational/customers/index.ts':
    "export { AccountsService } from './accounts/accounts.service.js';\n" +
    "export { leads } from './accounts/account-leads.js';\n",
};

/** The violation lines of the err reporter: `error <rule>: <from> → <to>`. */
function violations(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('error '));
}

describe('module boundaries (npm run lint:boundaries)', () => {
  it('accepts features that use each other through index.ts, and a composition root that reaches in', () => {
    const run = cruise(WELL_FORMED);
    expect(run.output).toContain('no dependency violations found');
    expect(run.status).toBe(0);
  });

  describe('with forbidden imports added', () => {
    let run: Cruise;
    beforeAll(() => {
      run = cruise({
        ...WELL_FORMED,
        ...Object.fromEntries(FORBIDDEN.map((f) => [f.path, f.text])),
        'src/analytical/profitability/index.ts': 'export class Profitability {}\n',
        'test/support/factories.ts': 'export const lead = {};\n',
        ...CYCLE,
      });
    });

    it('fails', () => {
      expect(run.status).not.toBe(0);
    });

    it.each(FORBIDDEN)('names $rule for $path, with what to do instead', (f) => {
      expect(violations(run.output)).toContain(`error ${f.rule}: ${f.edge}`);
      const report = run.output.slice(run.output.indexOf(`error ${f.rule}: ${f.edge}`));
      expect(report.replace(/\s+/g, ' ')).toContain(f.message);
    });

    it('names the cycle between two operational modules', () => {
      const rules = violations(run.output).map((line) => line.split(':')[0]);
      expect(rules).toEqual(
        expect.arrayContaining(['error no-circular', 'error no-circular-between-domain-features']),
      );
    });
  });
});
