/**
 * Deterministic UUIDs for tests: `testUuid(1)` is always `00000000-0000-4000-8000-000000000001`.
 * They are valid v4-shaped UUIDs, so `isUuid` and `parseEvent` accept them, and readable in a diff.
 */
export function testUuid(n: number, space = 0): string {
  if (!Number.isSafeInteger(n) || n < 0 || n > 0xffffffffffff) throw new RangeError(`testUuid(${n}): n must be an integer in 0..2^48-1`);
  if (!Number.isSafeInteger(space) || space < 0 || space > 0xffffffff) throw new RangeError(`testUuid: space must be an integer in 0..2^32-1`);
  return `${space.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** A counter-based id source; give each concern its own `space` to keep ids apart (leads vs events). */
export class TestIds {
  private counter = 0;

  constructor(private readonly space = 0) {}

  next(): string {
    this.counter += 1;
    return testUuid(this.counter, this.space);
  }

  reset(): void {
    this.counter = 0;
  }
}

const eventIds = new TestIds(0xe);
const leadIds = new TestIds(0x1);

/** Next id from the shared event-id counter (`0000000e-...`). */
export function nextEventId(): string {
  return eventIds.next();
}

/** Next id from the shared lead-id counter (`00000001-...`). */
export function nextLeadId(): string {
  return leadIds.next();
}

/** Restart the shared counters, e.g. in `beforeEach`, so ids do not depend on test order. */
export function resetTestIds(): void {
  eventIds.reset();
  leadIds.reset();
}
