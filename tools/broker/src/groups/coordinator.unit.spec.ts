import { GroupCoordinator, type JoinRequest } from './coordinator';
import { silentLogger } from '../logger';
import { ErrorCode } from '../protocol/constants';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function req(memberId = '', overrides: Partial<JoinRequest> = {}): JoinRequest {
  return {
    memberId,
    groupInstanceId: null,
    clientId: 'c',
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: 300,
    rebalanceTimeoutMs: 400,
    protocolType: 'consumer',
    protocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from('m') }],
    ...overrides,
  };
}

describe('GroupCoordinator', () => {
  let coordinator: GroupCoordinator;
  beforeEach(() => {
    coordinator = new GroupCoordinator(silentLogger);
  });
  afterEach(() => coordinator.close());

  it('forms a generation with a single member and hands the leader the member list', async () => {
    const joined = await coordinator.join('g', req());
    expect(joined).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, protocolName: 'RoundRobinAssigner' });
    expect(joined.leader).toBe(joined.memberId);
    expect(joined.members.map((m) => m.memberId)).toEqual([joined.memberId]);
    const synced = await coordinator.sync('g', 1, joined.memberId, [{ memberId: joined.memberId, assignment: Buffer.from('all') }]);
    expect(synced.assignment.toString()).toBe('all');
    expect(coordinator.describe('g', false).state).toBe('Stable');
  });

  it('holds JoinGroup replies until known members rejoin and followers SyncGroup until the leader syncs', async () => {
    const a = await coordinator.join('g', req());
    await coordinator.sync('g', 1, a.memberId, [{ memberId: a.memberId, assignment: Buffer.from('a-all') }]);
    let bJoined = false;
    const bJoin = coordinator.join('g', req()).then((r) => {
      bJoined = true;
      return r;
    });
    await sleep(20);
    expect(bJoined).toBe(false); // parked until a rejoins
    expect(coordinator.heartbeat('g', 1, a.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    // offset commits with the old generation are still accepted while the rebalance is pending
    expect(coordinator.validateCommit('g', 1, a.memberId)).toBe(ErrorCode.NONE);
    const aRejoin = await coordinator.join('g', req(a.memberId));
    const b = await bJoin;
    expect(aRejoin.generationId).toBe(2);
    expect(b.generationId).toBe(2);
    expect(aRejoin.leader).toBe(a.memberId);
    expect(aRejoin.members).toHaveLength(2);
    expect(b.members).toHaveLength(0);
    let bSynced = false;
    const bSync = coordinator.sync('g', 2, b.memberId, []).then((r) => {
      bSynced = true;
      return r;
    });
    await sleep(20);
    expect(bSynced).toBe(false);
    await coordinator.sync('g', 2, a.memberId, [
      { memberId: a.memberId, assignment: Buffer.from('a-half') },
      { memberId: b.memberId, assignment: Buffer.from('b-half') },
    ]);
    expect((await bSync).assignment.toString()).toBe('b-half');
    expect(coordinator.heartbeat('g', 1, a.memberId)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(coordinator.validateCommit('g', 1, a.memberId)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(coordinator.heartbeat('g', 2, b.memberId)).toBe(ErrorCode.NONE);
  });

  it('evicts a member that stops heart-beating and rebalances the rest', async () => {
    const a = await coordinator.join('g', req());
    await coordinator.sync('g', 1, a.memberId, []);
    const bJoin = coordinator.join('g', req());
    const aRejoin = await coordinator.join('g', req(a.memberId));
    const b = await bJoin;
    await Promise.all([coordinator.sync('g', 2, a.memberId, []), coordinator.sync('g', 2, b.memberId, [])]);
    // only b heartbeats; a falls silent
    for (let i = 0; i < 6; i++) {
      await sleep(100);
      coordinator.heartbeat('g', 2, b.memberId);
    }
    expect(aRejoin.memberId).toBe(a.memberId);
    expect(coordinator.heartbeat('g', 2, a.memberId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(coordinator.heartbeat('g', 2, b.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const bRejoin = await coordinator.join('g', req(b.memberId));
    expect(bRejoin).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 3, leader: b.memberId });
  });

  it('evicts members that do not rejoin within the rebalance timeout', async () => {
    const a = await coordinator.join('g', req('', { sessionTimeoutMs: 10_000 }));
    await coordinator.sync('g', 1, a.memberId, []);
    const started = Date.now();
    const b = await coordinator.join('g', req('', { sessionTimeoutMs: 10_000 })); // a never rejoins
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(b).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leader: b.memberId });
    expect(coordinator.describe('g', false).members.map((m) => m.memberId)).toEqual([b.memberId]);
  });

  it('rebalances when a member leaves and empties the group when the last one leaves', async () => {
    const a = await coordinator.join('g', req());
    const bJoin = coordinator.join('g', req());
    await coordinator.join('g', req(a.memberId));
    const b = await bJoin;
    expect(coordinator.leave('g', b.memberId)).toBe(ErrorCode.NONE);
    expect(coordinator.heartbeat('g', 2, a.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect((await coordinator.join('g', req(a.memberId))).generationId).toBe(3);
    expect(coordinator.leave('g', a.memberId)).toBe(ErrorCode.NONE);
    expect(coordinator.describe('g', false).state).toBe('Empty');
    expect(coordinator.leave('g', a.memberId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('rejects unknown members, bad generations and incompatible protocols', async () => {
    expect((await coordinator.join('g', req('nobody'))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const a = await coordinator.join('g', req());
    expect((await coordinator.sync('g', 99, a.memberId, [])).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect((await coordinator.join('g', req('', { protocols: [{ name: 'other', metadata: Buffer.alloc(0) }] }))).errorCode).toBe(
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
    expect(coordinator.validateCommit('g', -1, '')).toBe(ErrorCode.ILLEGAL_GENERATION); // group has members
    expect(coordinator.validateCommit('h', -1, '')).toBe(ErrorCode.NONE);
  });
});
