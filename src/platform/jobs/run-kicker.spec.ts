import { RequestContext } from '#platform/context/request-context.js';
import type { DatabaseService } from '#platform/database/database.service.js';
import type { JobState } from './job.types.js';
import { RunKicker, type KickableQueue } from './run-kicker.js';

/** A queue that records what was enqueued and reports the states a test sets. */
function fakeQueue() {
  const enqueued: string[] = [];
  const states = new Map<string, JobState>();
  const queue: KickableQueue = {
    enqueue: async () => {
      const id = `job-${enqueued.length + 1}`;
      enqueued.push(id);
      states.set(id, 'pending');
      return id;
    },
    states: async (_ctx, ids) =>
      new Map(ids.filter((id) => states.has(id)).map((id) => [id, { state: states.get(id)! }])),
  };
  return { queue, enqueued, states };
}

const outsideTransaction = {
  afterCommit: (_ctx: RequestContext, task: () => Promise<void>) => task(),
} as unknown as DatabaseService;

describe('RunKicker', () => {
  it('asks once for a burst of kicks', async () => {
    const { queue, enqueued } = fakeQueue();
    const kicker = new RunKicker(outsideTransaction, queue, 'test.queue');
    await Promise.all(Array.from({ length: 50 }, () => kicker.kick()));
    expect(enqueued).toEqual(['job-1']);
  });

  it('folds a kick into the run it asked for while that run has not started', async () => {
    const { queue, enqueued } = fakeQueue();
    const kicker = new RunKicker(outsideTransaction, queue, 'test.queue');
    await kicker.kick();
    await kicker.kick();
    expect(enqueued).toEqual(['job-1']);
  });

  it.each<JobState>(['active', 'completed', 'failed'])(
    'asks for a run of its own once the last one is %s',
    async (state) => {
      const { queue, enqueued, states } = fakeQueue();
      const kicker = new RunKicker(outsideTransaction, queue, 'test.queue');
      await kicker.kick();
      states.set('job-1', state);
      await kicker.kick();
      expect(enqueued).toEqual(['job-1', 'job-2']);
    },
  );

  it('asks only once the transaction has committed', async () => {
    const { queue, enqueued } = fakeQueue();
    let commit: () => Promise<void> = async () => undefined;
    const inTransaction = {
      afterCommit: (_ctx: RequestContext, task: () => Promise<void>) => {
        commit = task;
        return Promise.resolve();
      },
    } as unknown as DatabaseService;
    const kicker = new RunKicker(inTransaction, queue, 'test.queue');
    await kicker.kick(RequestContext.system());
    expect(enqueued).toEqual([]);
    await commit();
    expect(enqueued).toEqual(['job-1']);
  });
});
