/**
 * How long one run of a scheduled queue keeps working. Under the minute of the schedule, so the
 * next scheduled run finds this one finished rather than still holding the queue's turn.
 */
export const RUN_BUDGET_MS = 50_000;

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
