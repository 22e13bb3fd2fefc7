import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/**
 * Pipes each stream into the next (with backpressure) and resolves once every one has
 * finished. The first error anywhere destroys all of them and rejects with that error once
 * each has closed, so no upload is left half read and no COPY half written (a COPY closes
 * only when the server has answered its CopyFail). A stream that closes early counts as an
 * error.
 */
export async function runPiped(
  first: Readable,
  ...rest: [...(Readable & Writable)[], Writable]
): Promise<void> {
  const streams = [first, ...rest];
  const ends = streams.map((s) => finished(s));
  for (let i = 0; i + 1 < streams.length; i++)
    (streams[i] as Readable).pipe(streams[i + 1] as Writable);
  try {
    await Promise.all(ends);
  } catch (err) {
    for (const s of streams) s.destroy();
    await Promise.allSettled(ends);
    throw err;
  }
}
