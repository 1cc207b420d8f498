import { NoMatchKeyError, matchKey } from './match-key';

describe('matchKey', () => {
  it.each([
    [' Jane.Doe@ACME.com ', 'jane.doe@acme.com'],
    ['jane.doe+newsletter@acme.com', 'jane.doe@acme.com'],
    ['Jane.Doe+x@GoogleMail.com', 'janedoe@gmail.com'],
    ['j.a.n.e.doe@gmail.com', 'janedoe@gmail.com'],
  ])('%p is the mailbox %p', (email, key) => {
    expect(matchKey({ email })).toBe(key);
  });

  it('keeps dots that matter outside Gmail', () => {
    expect(matchKey({ email: 'jane.doe@acme.com' })).not.toBe(matchKey({ email: 'janedoe@acme.com' }));
  });

  it.each([undefined, '', '   ', 'jane', 'jane@', '@acme.com'])('has no key for %p', (email) => {
    expect(() => matchKey({ email })).toThrow(NoMatchKeyError);
    expect(() => matchKey({ email })).toThrow(expect.objectContaining({ code: 'DEDUPE.NO_MATCH_KEY' }));
  });
});
