import { LaneTurns } from './lane-turns';

async function settled(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

function track(promise: Promise<void>): { done: boolean } {
  const state = { done: false };
  void promise.then(() => {
    state.done = true;
  });
  return state;
}

describe('LaneTurns', () => {
  it('grants at once when free, and one turn at a time', async () => {
    const turns = new LaneTurns();
    const first = turns.take('bulk');
    const second = turns.take('bulk');
    const a = track(first.granted);
    const b = track(second.granted);
    await settled();
    expect([a.done, b.done]).toEqual([true, false]);
    first.release();
    await settled();
    expect(b.done).toBe(true);
  });

  it('gives a freed turn to a waiting live call before bulk calls that waited longer', async () => {
    const turns = new LaneTurns();
    const held = turns.take('bulk');
    const order: string[] = [];
    const bulk1 = turns.take('bulk');
    const bulk2 = turns.take('bulk');
    const live = turns.take('live');
    void bulk1.granted.then(() => order.push('bulk1'));
    void bulk2.granted.then(() => order.push('bulk2'));
    void live.granted.then(() => order.push('live'));
    held.release();
    await settled();
    expect(order).toEqual(['live']);
    live.release();
    await settled();
    bulk1.release();
    await settled();
    expect(order).toEqual(['live', 'bulk1', 'bulk2']);
  });

  it('a call that leaves the line before its turn is skipped, and releasing twice frees nothing extra', async () => {
    const turns = new LaneTurns();
    const held = turns.take('live');
    const gaveUp = turns.take('live');
    const after = turns.take('bulk');
    const gone = track(gaveUp.granted);
    const next = track(after.granted);
    gaveUp.release();
    held.release();
    held.release();
    await settled();
    expect([gone.done, next.done]).toEqual([false, true]);
    const later = track(turns.take('live').granted);
    await settled();
    expect(later.done).toBe(false);
  });
});
