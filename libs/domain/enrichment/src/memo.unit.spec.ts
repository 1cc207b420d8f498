import { memoised } from './memo';

describe('memoised', () => {
  it('given the same text twice, when asked, then it computes once and answers the same', () => {
    const calls: string[] = [];
    const upper = memoised((text: string) => {
      calls.push(text);
      return text.toUpperCase();
    });
    expect([upper('vp sales'), upper('vp sales'), upper('cto')]).toEqual(['VP SALES', 'VP SALES', 'CTO']);
    expect(calls).toEqual(['vp sales', 'cto']);
  });

  it('given more texts than it keeps, when full, then it forgets the oldest half and still answers correctly', () => {
    const calls: string[] = [];
    const length = memoised((text: string) => {
      calls.push(text);
      return text.length;
    }, 4);
    for (const text of ['a', 'bb', 'ccc', 'dddd', 'eeeee']) length(text);
    expect(length('a')).toBe(1); // forgotten: computed again
    expect(length('dddd')).toBe(4); // kept
    expect(calls).toEqual(['a', 'bb', 'ccc', 'dddd', 'eeeee', 'a']);
  });

  it('keeps undefined answers too', () => {
    let calls = 0;
    const nothing = memoised(() => {
      calls += 1;
      return undefined;
    });
    nothing('--');
    nothing('--');
    expect(calls).toBe(1);
  });
});
