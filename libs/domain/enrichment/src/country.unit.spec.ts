import { normaliseCountry } from './country';

describe('normaliseCountry', () => {
  it.each([
    ['de', 'DE'],
    [' US ', 'US'],
    ['UK', 'GB'],
    ['United Kingdom', 'GB'],
    ['england', 'GB'],
    ['USA', 'US'],
    ['United States of America', 'US'],
    ['Germany', 'DE'],
    ['Deutschland', 'DE'],
    ['the Netherlands', 'NL'],
    ['España', 'ES'],
    ["Cote d'Ivoire", 'CI'],
    ['Myanmar', 'MM'],
    ['new zealand', 'NZ'],
  ])('%p -> %p', (raw, expected) => {
    expect(normaliseCountry(raw)).toBe(expected);
  });

  it.each(['', 'XX', 'EU', 'YU', 'Atlantis', 'Europe'])('does not recognise %p', (raw) => {
    expect(normaliseCountry(raw)).toBeUndefined();
  });
});
