// Consumer group coordinator (classic protocol): members join, the JoinGroup replies are held
// until every known member has rejoined (or the rebalance timeout evicts the stragglers), the
// leader's SyncGroup distributes the assignment to the followers waiting for it, and a member that
// stops heart-beating for its session timeout is evicted, which starts a rebalance.
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/constants';
import type { BrokerLogger } from '../logger';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface JoinRequest {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: ReadonlyArray<{ name: string; metadata: Buffer }>;
}

export interface JoinResult {
  readonly errorCode: number;
  readonly generationId: number;
  readonly protocolName: string;
  readonly leader: string;
  readonly memberId: string;
  readonly members: ReadonlyArray<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }>;
}

export interface SyncResult {
  readonly errorCode: number;
  readonly assignment: Buffer;
}

export interface GroupDescription {
  readonly errorCode: number;
  readonly groupId: string;
  readonly state: GroupState;
  readonly protocolType: string;
  readonly protocol: string;
  readonly members: ReadonlyArray<{ memberId: string; clientId: string; clientHost: string; metadata: Buffer; assignment: Buffer }>;
}

interface Member {
  readonly id: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: ReadonlyArray<{ name: string; metadata: Buffer }>;
  assignment: Buffer;
  pendingJoin: ((r: JoinResult) => void) | null;
  pendingSync: ((r: SyncResult) => void) | null;
  sessionTimer: NodeJS.Timeout | null;
}

interface Group {
  readonly id: string;
  state: GroupState;
  generation: number;
  protocolType: string | null;
  protocolName: string | null;
  leaderId: string | null;
  readonly members: Map<string, Member>;
  rebalanceTimer: NodeJS.Timeout | null;
}

const EMPTY = Buffer.alloc(0);

function joinError(errorCode: number, memberId = ''): JoinResult {
  return { errorCode, generationId: -1, protocolName: '', leader: '', memberId, members: [] };
}

export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();

  constructor(private readonly logger: BrokerLogger) {}

  private group(id: string): Group {
    let g = this.groups.get(id);
    if (!g) {
      g = { id, state: 'Empty', generation: 0, protocolType: null, protocolName: null, leaderId: null, members: new Map(), rebalanceTimer: null };
      this.groups.set(id, g);
    }
    return g;
  }

  join(groupId: string, req: JoinRequest): Promise<JoinResult> {
    if (groupId === '') return Promise.resolve(joinError(ErrorCode.INVALID_GROUP_ID));
    if (req.sessionTimeoutMs <= 0) return Promise.resolve(joinError(ErrorCode.INVALID_SESSION_TIMEOUT));
    const g = this.group(groupId);
    if (req.protocols.length === 0) return Promise.resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    if (g.members.size > 0) {
      if (g.protocolType !== null && g.protocolType !== req.protocolType) return Promise.resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
      const names = new Set(req.protocols.map((p) => p.name));
      for (const m of g.members.values()) {
        if (m.id === req.memberId) continue;
        if (!m.protocols.some((p) => names.has(p.name))) return Promise.resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
      }
    }
    let member: Member | undefined;
    if (req.memberId !== '') {
      member = g.members.get(req.memberId);
      if (!member) return Promise.resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId));
    } else {
      member = {
        id: `${req.clientId || 'member'}-${randomUUID()}`,
        groupInstanceId: req.groupInstanceId,
        clientId: req.clientId,
        clientHost: req.clientHost,
        sessionTimeoutMs: req.sessionTimeoutMs,
        rebalanceTimeoutMs: req.rebalanceTimeoutMs,
        protocols: req.protocols,
        assignment: EMPTY,
        pendingJoin: null,
        pendingSync: null,
        sessionTimer: null,
      };
      g.members.set(member.id, member);
      this.logger.info(`group ${groupId}: member ${member.id} joins`);
    }
    const m = member;
    m.protocols = req.protocols;
    m.sessionTimeoutMs = req.sessionTimeoutMs;
    m.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    m.clientHost = req.clientHost;
    g.protocolType = req.protocolType;
    this.clearSession(m);
    if (m.pendingJoin) m.pendingJoin(joinError(ErrorCode.REBALANCE_IN_PROGRESS, m.id));
    return new Promise<JoinResult>((resolve) => {
      m.pendingJoin = resolve;
      if (g.state === 'PreparingRebalance') this.maybeCompleteJoin(g);
      else this.prepareRebalance(g, `member ${m.id} (re)joined`);
    });
  }

  sync(groupId: string, generationId: number, memberId: string, assignments: ReadonlyArray<{ memberId: string; assignment: Buffer }>): Promise<SyncResult> {
    const g = this.groups.get(groupId);
    const m = g?.members.get(memberId);
    if (!g || !m) return Promise.resolve({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
    if (generationId !== g.generation) return Promise.resolve({ errorCode: ErrorCode.ILLEGAL_GENERATION, assignment: EMPTY });
    if (g.state === 'PreparingRebalance') return Promise.resolve({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
    this.touch(g, m);
    if (g.state === 'Stable') return Promise.resolve({ errorCode: ErrorCode.NONE, assignment: m.assignment });
    // CompletingRebalance: followers wait for the leader's assignment
    return new Promise<SyncResult>((resolve) => {
      if (m.pendingSync) m.pendingSync({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
      m.pendingSync = resolve;
      if (memberId === g.leaderId) {
        const byMember = new Map(assignments.map((a) => [a.memberId, a.assignment]));
        g.state = 'Stable';
        this.logger.info(`group ${groupId}: generation ${g.generation} stable with ${g.members.size} member(s)`);
        for (const member of g.members.values()) {
          member.assignment = byMember.get(member.id) ?? EMPTY;
          const cb = member.pendingSync;
          member.pendingSync = null;
          cb?.({ errorCode: ErrorCode.NONE, assignment: member.assignment });
        }
      }
    });
  }

  heartbeat(groupId: string, generationId: number, memberId: string): number {
    const g = this.groups.get(groupId);
    const m = g?.members.get(memberId);
    if (!g || !m) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (m.pendingJoin === null) this.touch(g, m);
    if (g.state === 'PreparingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    if (generationId !== g.generation) return ErrorCode.ILLEGAL_GENERATION;
    return ErrorCode.NONE;
  }

  leave(groupId: string, memberId: string): number {
    const g = this.groups.get(groupId);
    if (!g || !g.members.has(memberId)) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.removeMember(g, memberId, 'left the group');
    return ErrorCode.NONE;
  }

  /** Whether an OffsetCommit from this member/generation is accepted (also during a pending rebalance). */
  validateCommit(groupId: string, generationId: number, memberId: string): number {
    const g = this.groups.get(groupId);
    if (generationId < 0 && memberId === '') {
      // simple (admin) commit: only for a group without active members
      return !g || g.members.size === 0 ? ErrorCode.NONE : ErrorCode.ILLEGAL_GENERATION;
    }
    const m = g?.members.get(memberId);
    if (!g || !m) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== g.generation) return ErrorCode.ILLEGAL_GENERATION;
    if (m.pendingJoin === null) this.touch(g, m);
    return ErrorCode.NONE;
  }

  describe(groupId: string, knownFromOffsets: boolean): GroupDescription {
    const g = this.groups.get(groupId);
    if (!g) {
      return { errorCode: ErrorCode.NONE, groupId, state: knownFromOffsets ? 'Empty' : 'Dead', protocolType: knownFromOffsets ? 'consumer' : '', protocol: '', members: [] };
    }
    const stable = g.state === 'Stable';
    return {
      errorCode: ErrorCode.NONE,
      groupId,
      state: g.state,
      protocolType: g.protocolType ?? '',
      protocol: stable || g.state === 'CompletingRebalance' ? (g.protocolName ?? '') : '',
      members: [...g.members.values()].map((m) => ({
        memberId: m.id,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: stable ? (m.protocols.find((p) => p.name === g.protocolName)?.metadata ?? EMPTY) : EMPTY,
        assignment: stable ? m.assignment : EMPTY,
      })),
    };
  }

  list(): Array<{ groupId: string; protocolType: string }> {
    return [...this.groups.values()].map((g) => ({ groupId: g.id, protocolType: g.protocolType ?? 'consumer' }));
  }

  /** Forgets an Empty group; NON_EMPTY_GROUP while it has members. */
  delete(groupId: string): number {
    const g = this.groups.get(groupId);
    if (!g) return ErrorCode.NONE;
    if (g.members.size > 0) return ErrorCode.NON_EMPTY_GROUP;
    if (g.rebalanceTimer) clearTimeout(g.rebalanceTimer);
    this.groups.delete(groupId);
    return ErrorCode.NONE;
  }

  has(groupId: string): boolean {
    return this.groups.has(groupId);
  }

  close(): void {
    for (const g of this.groups.values()) {
      if (g.rebalanceTimer) clearTimeout(g.rebalanceTimer);
      for (const m of g.members.values()) this.clearSession(m);
    }
    this.groups.clear();
  }

  private clearSession(m: Member): void {
    if (m.sessionTimer) clearTimeout(m.sessionTimer);
    m.sessionTimer = null;
  }

  private touch(g: Group, m: Member): void {
    this.clearSession(m);
    m.sessionTimer = setTimeout(() => {
      m.sessionTimer = null;
      if (g.members.get(m.id) === m) this.removeMember(g, m.id, `session timeout (${m.sessionTimeoutMs} ms) expired`);
    }, m.sessionTimeoutMs);
    m.sessionTimer.unref?.();
  }

  private prepareRebalance(g: Group, reason: string): void {
    if (g.state === 'CompletingRebalance') {
      for (const m of g.members.values()) {
        const cb = m.pendingSync;
        m.pendingSync = null;
        cb?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
      }
    }
    if (g.state !== 'PreparingRebalance') {
      this.logger.info(`group ${g.id}: preparing rebalance (${reason})`);
      g.state = 'PreparingRebalance';
      const timeout = Math.max(0, ...[...g.members.values()].map((m) => m.rebalanceTimeoutMs));
      if (g.rebalanceTimer) clearTimeout(g.rebalanceTimer);
      g.rebalanceTimer = setTimeout(() => {
        g.rebalanceTimer = null;
        this.completeJoin(g);
      }, timeout);
      g.rebalanceTimer.unref?.();
    }
    this.maybeCompleteJoin(g);
  }

  private maybeCompleteJoin(g: Group): void {
    if (g.state !== 'PreparingRebalance') return;
    for (const m of g.members.values()) if (m.pendingJoin === null) return;
    this.completeJoin(g);
  }

  private completeJoin(g: Group): void {
    if (g.state !== 'PreparingRebalance') return;
    if (g.rebalanceTimer) clearTimeout(g.rebalanceTimer);
    g.rebalanceTimer = null;
    for (const m of [...g.members.values()]) {
      if (m.pendingJoin === null) {
        this.logger.info(`group ${g.id}: evicting ${m.id}, it did not rejoin within the rebalance timeout`);
        this.clearSession(m);
        g.members.delete(m.id);
      }
    }
    g.generation++;
    if (g.members.size === 0) {
      g.state = 'Empty';
      g.protocolName = null;
      g.leaderId = null;
      return;
    }
    const members = [...g.members.values()];
    // choose the protocol every member supports that most members prefer
    const common = members[0].protocols.map((p) => p.name).filter((name) => members.every((m) => m.protocols.some((p) => p.name === name)));
    const votes = new Map<string, number>();
    for (const m of members) {
      const pick = m.protocols.find((p) => common.includes(p.name));
      if (pick) votes.set(pick.name, (votes.get(pick.name) ?? 0) + 1);
    }
    let protocol = common[0] ?? members[0].protocols[0].name;
    for (const [name, n] of votes) if (n > (votes.get(protocol) ?? 0)) protocol = name;
    g.protocolName = protocol;
    if (g.leaderId === null || !g.members.has(g.leaderId)) g.leaderId = members[0].id;
    g.state = 'CompletingRebalance';
    this.logger.info(`group ${g.id}: generation ${g.generation} formed with ${members.length} member(s), leader ${g.leaderId}`);
    const all = members.map((m) => ({ memberId: m.id, groupInstanceId: m.groupInstanceId, metadata: m.protocols.find((p) => p.name === protocol)?.metadata ?? EMPTY }));
    for (const m of members) {
      const cb = m.pendingJoin;
      m.pendingJoin = null;
      this.touch(g, m);
      cb?.({ errorCode: ErrorCode.NONE, generationId: g.generation, protocolName: protocol, leader: g.leaderId, memberId: m.id, members: m.id === g.leaderId ? all : [] });
    }
  }

  private removeMember(g: Group, memberId: string, reason: string): void {
    const m = g.members.get(memberId);
    if (!m) return;
    this.logger.info(`group ${g.id}: removing member ${memberId} (${reason})`);
    this.clearSession(m);
    g.members.delete(memberId);
    const join = m.pendingJoin;
    const sync = m.pendingSync;
    m.pendingJoin = null;
    m.pendingSync = null;
    join?.(joinError(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
    sync?.({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
    if (g.leaderId === memberId) g.leaderId = null;
    if (g.state === 'PreparingRebalance') {
      if (g.members.size === 0) this.completeJoin(g);
      else this.maybeCompleteJoin(g);
    } else if (g.members.size === 0) {
      if (g.rebalanceTimer) clearTimeout(g.rebalanceTimer);
      g.rebalanceTimer = null;
      g.state = 'Empty';
      g.generation++;
      g.protocolName = null;
    } else {
      this.prepareRebalance(g, `member ${memberId} ${reason}`);
    }
  }
}
