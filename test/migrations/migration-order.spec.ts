import { MIGRATIONS } from '../../migrations/index.js';

/**
 * Migrations run in the order of this list, and a backup names the last one it holds: a list
 * out of timestamp order (easy to get from two branches merged) would make a release see its
 * own backups as "made by a newer release" and apply schema changes out of turn.
 */
describe('migration list', () => {
  const stamps = MIGRATIONS.map((m) => Number(/(\d{13})$/.exec(m.name)?.[1]));

  it('names every migration class with its 13-digit timestamp', () => {
    expect(stamps.every((s) => Number.isSafeInteger(s))).toBe(true);
  });

  it('is in timestamp order with no timestamp twice', () => {
    const sorted = [...stamps].sort((a, b) => a - b);
    expect(stamps).toEqual(sorted);
    expect(new Set(stamps).size).toBe(stamps.length);
  });
});
