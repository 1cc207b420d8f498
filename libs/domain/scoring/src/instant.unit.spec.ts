import { seededRandom } from '@leadstream/testing';
import { instantOf } from './instant';

describe('instantOf', () => {
  it('given canonical UTC timestamps across four centuries, then exactly what Date.parse gives', () => {
    const random = seededRandom(7);
    for (let n = 0; n < 20_000; n += 1) {
      const at = new Date(Date.UTC(1900, 0, 1) + Math.floor(random() * 400 * 365.25 * 86_400_000)).toISOString();
      expect(instantOf(at)).toBe(Date.parse(at));
    }
  });

  it.each([
    '2024-02-29T23:59:59.999Z',
    '2000-02-29T00:00:00.000Z',
    '1970-01-01T00:00:00.000Z',
    '0001-01-01T00:00:00.000Z',
    '2025-06-01T12:00:00+02:00',
    '2025-06-01T12:00:00Z',
    '2025-06-01',
    '2023-02-29T00:00:00.000Z',
    '2025-13-01T00:00:00.000Z',
    '2025-06-01T24:00:00.000Z',
    '2025-06-01T12:60:00.000Z',
    '2025-06-01T12:00:00.0a0Z',
    'not a time at all, clear?',
    '',
  ])('given %p, then what Date.parse gives (NaN for no instant)', (at) => {
    expect(instantOf(at)).toBe(Date.parse(at));
  });
});
