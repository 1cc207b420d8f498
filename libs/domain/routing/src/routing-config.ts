import { DomainError, GRADES, type Grade } from '@leadstream/contracts';

export interface Rep {
  readonly repId: string;
  readonly name: string;
  /** Inactive reps (on leave, at capacity) are skipped by round robin. */
  readonly active: boolean;
}

/** Versioned routing configuration, validated on load. */
export interface RoutingConfig {
  readonly version: string;
  /** In round-robin order. */
  readonly reps: readonly Rep[];
  /** Where leads good enough for a rep go when no rep is active. */
  readonly defaultQueueId: string;
  /** Where leads below `minGradeForRep` go, to be nurtured. */
  readonly nurtureQueueId: string;
  /** The lowest grade a rep handles (A is best). */
  readonly minGradeForRep: Grade;
}

export class InvalidRoutingConfigError extends DomainError {
  readonly code = 'ROUTING.INVALID_CONFIG' as const;

  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path} ${problem}`);
  }
}

type Json = Record<string, unknown>;

function fail(path: string, problem: string): never {
  throw new InvalidRoutingConfigError(path, problem);
}

function shown(value: unknown): string {
  return value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
}

function object(value: unknown, path: string, allowed: readonly string[]): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, `must be an object, got ${shown(value)}`);
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(path === '' ? key : `${path}.${key}`, `is not a known setting (expected ${allowed.join(', ')})`);
  }
  return value as Json;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim().length === 0) fail(path, `must be a non-empty string, got ${shown(value)}`);
  return value;
}

/**
 * Checks routing configuration loaded from a file or the environment and returns it typed. Throws
 * InvalidRoutingConfigError ('ROUTING.INVALID_CONFIG') naming the first bad field.
 */
export function validateRoutingConfig(raw: unknown): RoutingConfig {
  const shape = object(raw, '', ['version', 'reps', 'defaultQueueId', 'nurtureQueueId', 'minGradeForRep']);
  const version = text(shape['version'], 'version');
  const rawReps = shape['reps'];
  if (!Array.isArray(rawReps)) fail('reps', `must be a list of reps, got ${shown(rawReps)}`);
  const seen = new Set<string>();
  const reps = rawReps.map((rawRep, index): Rep => {
    const path = `reps[${index}]`;
    const rep = object(rawRep, path, ['repId', 'name', 'active']);
    const repId = text(rep['repId'], `${path}.repId`);
    if (seen.has(repId)) fail(`${path}.repId`, `duplicates the rep id ${shown(repId)}`);
    seen.add(repId);
    const active = rep['active'];
    if (typeof active !== 'boolean') fail(`${path}.active`, `must be true or false, got ${shown(active)}`);
    return { repId, name: text(rep['name'], `${path}.name`), active };
  });
  const defaultQueueId = text(shape['defaultQueueId'], 'defaultQueueId');
  const nurtureQueueId = text(shape['nurtureQueueId'], 'nurtureQueueId');
  const minGradeForRep = shape['minGradeForRep'];
  if (!GRADES.includes(minGradeForRep as Grade)) fail('minGradeForRep', `must be one of ${GRADES.join(', ')}, got ${shown(minGradeForRep)}`);
  return { version, reps, defaultQueueId, nurtureQueueId, minGradeForRep: minGradeForRep as Grade };
}

/** The routing configuration the routing service starts with until one is configured. */
export const DEMO_ROUTING_CONFIG: RoutingConfig = {
  version: 'demo-1',
  reps: [
    { repId: 'rep-ada', name: 'Ada Lovelace', active: true },
    { repId: 'rep-grace', name: 'Grace Hopper', active: true },
    { repId: 'rep-alan', name: 'Alan Turing', active: true },
  ],
  defaultQueueId: 'unassigned',
  nurtureQueueId: 'nurture',
  minGradeForRep: 'B',
};
