import { parseCrmConfig } from '#platform/config/crm-config.js';
import { RequestContext } from '#platform/context/request-context.js';
import { LeadRuleCatalog } from '../lead-rules/lead-rule-catalog.js';
import { LeadAssigner, nextInTurn } from './lead-assigner.service.js';
import type { LeadAssignmentPool } from './lead-assignment-pool.js';
import { SALES_CONFIG } from '../sales.config.js';

const TEAM = '0192f3a1-0000-7000-8000-0000000000a1';
const EMPTY_TEAM = '0192f3a1-0000-7000-8000-0000000000a2';
const [A, B, C, BOSS, CREATOR] = ['a', 'b', 'c', 'boss', 'creator'].map((n) => `user-${n}`);

const catalog = new LeadRuleCatalog(
  parseCrmConfig(
    `version: 1
leadAssignment:
  rules:
    - { key: vip, label: { en: VIP }, when: [{ field: rating, op: eq, value: hot }], strategy: user, userId: 0192f3a1-0000-7000-8000-00000000000f }
    - { key: turns, label: { en: Turns }, when: [{ field: address.region, op: eq, value: Bali }], strategy: roundRobin, teamId: ${TEAM} }
    - { key: least, label: { en: Least }, when: [{ field: address.region, op: eq, value: Aceh }], strategy: leastLoaded, teamId: ${TEAM} }
    - { key: empty, label: { en: Empty }, when: [{ field: address.region, op: eq, value: Papua }], strategy: roundRobin, teamId: ${EMPTY_TEAM} }
`,
    'f',
    SALES_CONFIG,
  ),
);

/** The database side of assignment, in memory. */
function fakePool(state: {
  vipActive: boolean;
  last: string | null;
  loads: Record<string, number>;
}) {
  const pool: Partial<LeadAssignmentPool> = {
    lockTurn: async (_tx, teamId) => (teamId === TEAM ? { last: state.last } : undefined),
    saveTurn: async (_tx, _teamId, userId) => {
      state.last = userId;
    },
    availableMembers: async (_tx, teamId) => (teamId === TEAM ? [A, B, C] : []),
    openLeadCounts: async (_tx, ids) => new Map(ids.map((id) => [id, state.loads[id] ?? 0])),
    defaultOwner: async (_tx, teamId) => (teamId === TEAM ? BOSS : null),
    isActiveUser: async () => state.vipActive,
    isLiveTeam: async () => true,
  };
  return pool as LeadAssignmentPool;
}

describe('LeadAssigner', () => {
  const tx = RequestContext.system();
  const creator = { userId: CREATOR, teamId: TEAM };

  it('goes round the members in id order, starting after the last one served', async () => {
    const state = { vipActive: true, last: B, loads: {} };
    const assigner = new LeadAssigner(catalog, fakePool(state));
    const owners: string[] = [];
    for (let i = 0; i < 4; i++)
      owners.push((await assigner.assign(tx, { address: { region: 'Bali' } }, creator)).ownerId);
    expect(owners).toEqual([C, A, B, C]);
    expect(nextInTurn([A, B, C], null)).toBe(A);
    expect(nextInTurn([A, C], B)).toBe(C);
  });

  it('gives the least loaded member the lead, ties in turn', async () => {
    const state = { vipActive: true, last: null, loads: { [A]: 3, [B]: 1, [C]: 1 } };
    const assigner = new LeadAssigner(catalog, fakePool(state));
    const lead = { address: { region: 'Aceh' } };
    expect(await assigner.assign(tx, lead, creator)).toEqual({
      ownerId: B,
      teamId: TEAM,
      assignmentRule: 'least',
      assignedVia: 'rule',
    });
    expect((await assigner.assign(tx, lead, creator)).ownerId).toBe(C);
  });

  it("falls back to the team's default owner, then to the creator; never to nobody", async () => {
    const state = { vipActive: false, last: null, loads: {} };
    const assigner = new LeadAssigner(catalog, fakePool(state));
    // The rule's user is inactive: its team (none given: the creator's) default owner.
    expect(await assigner.assign(tx, { rating: 'hot' }, creator)).toEqual({
      ownerId: BOSS,
      teamId: TEAM,
      assignmentRule: 'vip',
      assignedVia: 'default_owner',
    });
    // The rule's team has nobody and no default owner: the creator, in the creator's team.
    expect(await assigner.assign(tx, { address: { region: 'Papua' } }, creator)).toEqual({
      ownerId: CREATOR,
      teamId: TEAM,
      assignmentRule: 'empty',
      assignedVia: 'creator',
    });
    // No rule matches: the creator's team's default owner, or without a team the creator.
    expect((await assigner.assign(tx, {}, creator)).assignedVia).toBe('default_owner');
    expect(await assigner.assign(tx, {}, { userId: CREATOR, teamId: null })).toEqual({
      ownerId: CREATOR,
      teamId: null,
      assignmentRule: null,
      assignedVia: 'creator',
    });
  });

  it('lets the first matching rule win', async () => {
    const state = { vipActive: true, last: null, loads: {} };
    const assigner = new LeadAssigner(catalog, fakePool(state));
    const both = { rating: 'hot', address: { region: 'Bali' } };
    expect(await assigner.assign(tx, both, creator)).toMatchObject({
      ownerId: '0192f3a1-0000-7000-8000-00000000000f',
      assignmentRule: 'vip',
      teamId: TEAM,
    });
  });
});
