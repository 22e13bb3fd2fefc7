import { cursorOf } from '#platform/query/index.js';

/**
 * A page of a list query that fetched one row more than `limit`: the rows shown (through
 * `view`), and the cursor of the last one when there is more.
 */
export async function listPage<R extends Record<string, unknown>, V>(
  rows: R[],
  limit: number,
  keyCount: number,
  view: (page: R[]) => Promise<V[]>,
) {
  const page = rows.slice(0, limit);
  return {
    data: await view(page),
    meta: {
      nextCursor: rows.length > limit ? cursorOf(page[page.length - 1], keyCount) : null,
      limit,
    },
  };
}
