import { execFileSync } from 'node:child_process';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Who holds a data directory: enough to tell the process apart from a later one with its pid. */
export interface LockHolder {
  pid: number;
  /** The kernel's start time of the process (Linux, /proc/<pid>/stat), null where unknown. */
  processStart: string | null;
  startedAt: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The data directory ${dataDir} is in use by another Relasi process (pid ${holder.pid}, started ${holder.startedAt}). ` +
        'Stop that process first, or give this one its own directory with CRM_DATA_DIR.',
    );
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the pid exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat; the command name before it may hold spaces and parentheses. */
function processStartOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** A process's argv, from /proc where there is one and from ps elsewhere; null if gone. */
export function commandLineOf(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    try {
      const args = execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { stdio: 'pipe' });
      return args.toString().trim().split(/\s+/).filter(Boolean);
    } catch {
      return null;
    }
  }
}

function stillHolds(holder: LockHolder): boolean {
  if (!Number.isInteger(holder.pid) || holder.pid <= 0 || !isAlive(holder.pid)) return false;
  if (holder.pid === process.pid) return false;
  const now = processStartOf(holder.pid);
  // Without a start time to compare, a live pid is taken for the holder: refusing to start
  // is recoverable, two servers on one cluster are not.
  if (now === null || holder.processStart === null) return true;
  return now === holder.processStart;
}

function readHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    return typeof value.pid === 'number'
      ? {
          pid: value.pid,
          processStart: value.processStart ?? null,
          startedAt: value.startedAt ?? '?',
        }
      : null;
  } catch {
    return null;
  }
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export interface DataDirLock {
  /** Removes the lock file if it is still this process's. */
  release(): void;
}

/**
 * Claims `<dataDir>/relasi.lock` for this process, so that a second server started on the
 * same directory stops before it touches PostgreSQL. The file is written whole under a
 * temporary name and linked into place, which fails atomically when it exists: no reader
 * ever sees a half-written lock. A lock whose process is gone (or whose pid now belongs to
 * another process, told apart by its start time) is stale and taken over.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const file = join(dataDir, 'relasi.lock');
  const mine: LockHolder = {
    pid: process.pid,
    processStart: processStartOf(process.pid),
    startedAt: new Date().toISOString(),
  };
  const text = JSON.stringify(mine);
  const draft = `${file}.${process.pid}`;
  writeFileSync(draft, text, { mode: 0o644 });
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        linkSync(draft, file);
        return lockHandle(file, text);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const found = readOrNull(file);
      if (found === null) continue;
      const holder = readHolder(found);
      if (holder && stillHolds(holder)) throw new DataDirLockedError(dataDir, holder);
      removeStale(file, found);
    }
    throw new Error(`could not take the lock ${file}: other processes keep claiming it`);
  } finally {
    unlinkSync(draft);
  }
}

/**
 * Moves the stale lock aside first and checks that what moved is the stale lock read before:
 * when another starting process replaced it in between, its fresh lock is put back.
 */
function removeStale(file: string, stale: string): void {
  const aside = `${file}.stale.${process.pid}`;
  try {
    renameSync(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  try {
    if (readFileSync(aside, 'utf8') !== stale) linkSync(aside, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(aside);
  }
}

function lockHandle(file: string, text: string): DataDirLock {
  const release = () => {
    process.removeListener('exit', release);
    if (readOrNull(file) === text) unlinkSync(file);
  };
  process.once('exit', release);
  return { release };
}
