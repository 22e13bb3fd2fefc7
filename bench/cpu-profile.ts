import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reads a V8 `.cpuprofile` (written by `node --cpu-prof`) and says where the time went: the
 * functions with the most self time, and for each package the share of samples it was on the
 * stack at all (so `typeorm` counts the pg driver work it called into as well).
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Share of the profile that was not idle. */
  busyMs: number;
  topSelf: { function: string; where: string; ms: number; percentOfBusy: number }[];
  /** Time with the package anywhere on the stack, as a share of busy time. */
  packagesInclusive: { package: string; ms: number; percentOfBusy: number }[];
}

/** `node_modules/@nestjs/core/…` → `@nestjs/core`; `dist/src/platform/…` → `relasi:platform`. */
function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (m) return m[1];
  const own = /\/dist\/(src|migrations)\/([^/]+)/.exec(url);
  if (own) return `relasi:${own[2].replace(/\.js$/, '')}`;
  if (url.startsWith('node:')) return 'node';
  return url.replace(/^file:\/\//, '');
}

function shortUrl(url: string, line: number): string {
  const tail = url
    .replace(/^file:\/\//, '')
    .replace(/^.*node_modules\//, '')
    .replace(/^.*\/dist\//, '');
  return tail ? `${tail}:${line + 1}` : '';
}

export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<number, number>();
  const packages = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const id = profile.samples[i];
    total += ms;
    self.set(id, (self.get(id) ?? 0) + ms);
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') {
      idle += ms;
      continue;
    }
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (frame.functionName === '(root)') continue;
      seen.add(packageOf(frame.url, frame.functionName));
    }
    for (const p of seen) packages.set(p, (packages.get(p) ?? 0) + ms);
  }
  const busy = total - idle;
  const perFunction = new Map<string, { function: string; where: string; ms: number }>();
  for (const [id, ms] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const where = shortUrl(url, lineNumber);
    const key = `${functionName}@${where}`;
    const entry = perFunction.get(key) ?? { function: functionName || '(anonymous)', where, ms: 0 };
    entry.ms += ms;
    perFunction.set(key, entry);
  }
  const pct = (ms: number) => Number(((100 * ms) / busy).toFixed(1));
  return {
    totalMs: Math.round(total),
    busyMs: Math.round(busy),
    topSelf: [...perFunction.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map((f) => ({ ...f, ms: Math.round(f.ms), percentOfBusy: pct(f.ms) })),
    packagesInclusive: [...packages.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ package: name, ms: Math.round(ms), percentOfBusy: pct(ms) })),
  };
}

/** `node dist/bench/cpu-profile.js <file.cpuprofile>` prints the summary of a saved profile. */
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dist/bench/cpu-profile.js <file.cpuprofile>\n');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(summarizeProfile(file), null, 2)}\n`);
}
