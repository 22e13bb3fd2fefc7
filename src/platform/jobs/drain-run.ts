/**
 * How long one run of a scheduled queue keeps working. Under the minute of the schedule, so the
 * next scheduled run finds this one finished rather than still holding the queue's turn.
 */
export const RUN_BUDGET_MS = 50_000;

/**
 * A send a run started and never settled, older than this, was cut off by a stopped process.
 * Well past RUN_BUDGET_MS, so a run still at work is never taken for a dead one.
 */
export const ABANDONED_AFTER_MS = 5 * 60_000;

/**
 * Repeats `step` (one unit of work; false when there was none) until the queue is drained, the
 * process stops, or the run's time is up. What is left waits for the next run.
 */
export async function drainRun(signal: AbortSignal, step: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  while (!signal.aborted && Date.now() - started < RUN_BUDGET_MS) {
    if (!(await step())) return;
  }
}
