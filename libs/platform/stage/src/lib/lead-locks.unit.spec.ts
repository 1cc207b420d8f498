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
