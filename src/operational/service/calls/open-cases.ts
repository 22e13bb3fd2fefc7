import type { RequestContext } from '#platform/context/index.js';

/** An open case as the screen-pop shows it. */
export interface OpenCaseSummary {
  id: string;
  number: string;
  subject: string;
  status: string;
  priority: string | null;
  openedAt: string;
}

/**
 * What the call centre needs from cases, provided by the cases module under `CALL_CASES`:
 * the open cases of contacts (screen-pop) and which cases are resolved (first-call
 * resolution). Without a provider, contacts have no open cases and no case counts as resolved.
 */
export interface CallCasesSource {
  /** Open cases the caller may read, per contact id. */
  openCasesOf(ctx: RequestContext, contactIds: string[]): Promise<Map<string, OpenCaseSummary[]>>;
  /** The ids among `caseIds` whose case is resolved or closed. */
  resolvedAmong(ctx: RequestContext, caseIds: string[]): Promise<Set<string>>;
}

export const CALL_CASES = Symbol('CALL_CASES');

export const NO_CASES: CallCasesSource = {
  openCasesOf: () => Promise.resolve(new Map()),
  resolvedAmong: () => Promise.resolve(new Set()),
};
