/**
 * `npm run bench [-- --scale N]`: the proof benchmark, one part after another, each a child
 * process with BENCH_SCALE set: bench/run.ts (reads, lists, create and bulk create against the
 * baseline, start-to-ready and memory), bench/import-export.ts (CSV import against COPY, export)
 * and bench/sales.ts (timeline and board against the same SQL). It stops at the first part
 * that fails and exits with its code. Every other BENCH_* setting passes through to the parts.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { log, ROOT } from './bench-support.js';

const PARTS = ['run.js', 'import-export.js', 'sales.js'];

const HELP = `Usage: npm run bench -- [--scale N]

Seeds throw-away databases and measures Relasi against baselines doing the same SQL:
  run.js            1,000,000 contacts, 200,000 accounts, 1,000,000 activities,
                    10,000,000 order lines, 1,000,000 cases; GET by id, lists,
                    relation filter, create, bulk create, start to ready, RSS
  import-export.js  CSV import of 100,000 contacts against COPY, export, and
                    an import of 1,000,000 rows into a server with a capped heap
  sales.js          timeline page and pipeline board against the same SQL

  --scale N   multiply every data size by N (> 0; 0.1 for a quicker run, 0.01 for a smoke run)
  --help      this text

Results go to bench/results/. Other settings (BENCH_DURATION, BENCH_CONNECTIONS, …) are read
from the environment; see the header of each bench/*.ts file.
`;

function parseArgs(args: string[]): { scale: string | null; help: boolean } {
  let scale: string | null = null;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--scale' || arg.startsWith('--scale=')) {
      const value = arg === '--scale' ? args[++i] : arg.slice('--scale='.length);
      if (value === undefined || !(Number(value) > 0) || !Number.isFinite(Number(value)))
        throw new Error(`--scale needs a number > 0, not ${value ?? 'nothing'}`);
      scale = value;
    } else throw new Error(`unknown argument ${arg} (try --help)`);
  }
  return { scale, help };
}

function runPart(file: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/bench', file)], {
      env,
      stdio: 'inherit',
    });
    child.once('error', fail);
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n\n${HELP}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const env = { ...process.env };
  if (options.scale !== null) env.BENCH_SCALE = options.scale;
  for (const part of PARTS) {
    log(`${part} (scale ${env.BENCH_SCALE ?? '1'})`);
    const started = Date.now();
    const code = await runPart(part, env);
    if (code !== 0) {
      log(`${part} failed (exit ${code}); stopping`);
      return code;
    }
    log(`${part} done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  return 0;
}

void main().then((code) => process.exit(code));
