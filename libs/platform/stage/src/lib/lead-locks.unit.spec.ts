import { advisoryLockIds, chunkByKeys } from './lead-locks';

describe('advisoryLockIds', () => {
  it('gives one signed 64-bit id per distinct key, ascending', () => {
    const ids = advisoryLockIds('leadstream-scoring', ['b', 'a', 'b', 'c']);
    expect(ids).toHaveLength(3);
    const values = ids.map(BigInt);
    expect([...values].sort((x, y) => (x < y ? -1 : 1))).toEqual(values);
    for (const value of values) expect(value >= -(2n ** 63n) && value < 2n ** 63n).toBe(true);
  });

  it('gives the same lead different ids in different consumer groups, and the same id in both lanes of one', () => {
    expect(advisoryLockIds('leadstream-scoring', ['lead-1'])).toEqual(advisoryLockIds('leadstream-scoring', ['lead-1']));
    expect(advisoryLockIds('leadstream-scoring', ['lead-1'])).not.toEqual(advisoryLockIds('leadstream-routing', ['lead-1']));
  });

  it('maps a lead id to its random bits mixed with the group, whatever its case, distinct per group', () => {
    const lead = '0190a5c4-7b1e-7cc2-9a41-3f5e8d2b6c10';
    const [scoring] = advisoryLockIds('leadstream-scoring', [lead]);
    expect(advisoryLockIds('leadstream-scoring', [lead.toUpperCase()])).toEqual([scoring]);
    expect(advisoryLockIds('leadstream-routing', [lead])).not.toEqual([scoring]);
    // two v7 ids of the same millisecond differ in their random tail, so they do not share a lock
    expect(advisoryLockIds('leadstream-scoring', [lead, '0190a5c4-7b1e-7cc2-8b07-91d4a0e3f257'])).toHaveLength(2);
    // the same bits mixed with the same group: XOR of the two ids equals XOR of the two tails
    const [a, b] = ['0190a5c4-7b1e-7cc2-9a41-000000000001', '0190a5c4-7b1e-7cc2-9a41-000000000002'].map(
      (id) => BigInt(advisoryLockIds('leadstream-scoring', [id])[0] ?? ''),
    );
    expect(BigInt.asUintN(64, (a ?? 0n) ^ (b ?? 0n))).toBe(3n);
  });

  it('hashes a key that is not a uuid, so match keys of any length spread over the whole range', () => {
    const ids = advisoryLockIds('leadstream-dedupe', ['email:ada@example.com', 'email:ada@example.org', 'not-a-uuid-0190a5c4-7b1e-7cc2']);
    expect(ids).toHaveLength(3);
    expect(ids).toEqual(advisoryLockIds('leadstream-dedupe', ['not-a-uuid-0190a5c4-7b1e-7cc2', 'email:ada@example.org', 'email:ada@example.com']));
  });
});

describe('chunkByKeys', () => {
  const keysOf = (item: { keys: string[] }): string[] => item.keys;

  it('keeps everything in one run while the distinct keys fit', () => {
    const items = [{ keys: ['a'] }, { keys: ['b'] }, { keys: ['a'] }];
    expect(chunkByKeys(items, keysOf, 2)).toEqual([items]);
  });

  it('starts a new run when the next item would bring the keys over the limit, keeping order', () => {
    const items = [{ keys: ['a'] }, { keys: ['b'] }, { keys: ['c'] }, { keys: ['c'] }, { keys: ['a'] }];
    expect(chunkByKeys(items, keysOf, 2)).toEqual([[items[0], items[1]], [items[2], items[3], items[4]]]);
  });

  it('gives an item with more keys than the limit a run of its own', () => {
    const items = [{ keys: ['a'] }, { keys: ['x', 'y', 'z'] }, { keys: ['b'] }];
    expect(chunkByKeys(items, keysOf, 2)).toEqual([[items[0]], [items[1]], [items[2]]]);
  });
});
