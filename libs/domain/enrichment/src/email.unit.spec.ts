import { isDisposableEmailDomain, isFreeEmailDomain, normaliseEmail } from './email';

describe('isFreeEmailDomain', () => {
  it.each(['gmail.com', 'GMAIL.com', 'outlook.com', 'yahoo.co.jp', 'gmx.de', 'web.de', 'orange.fr', 'qq.com', 'naver.com', 'seznam.cz', 'proton.me', 'mail.ru'])(
    'given %p, then it is a free mailbox provider',
    (domain) => {
      expect(isFreeEmailDomain(domain)).toBe(true);
    },
  );

  it.each(['acme-corp.com', 'siemens.com', 'microsoft.com', 'example.com', 'google.com'])('given the company domain %p, then it is not free', (domain) => {
    expect(isFreeEmailDomain(domain)).toBe(false);
  });

  it('given a disposable provider, then it is free as well: it says nothing about an employer', () => {
    expect(isFreeEmailDomain('mailinator.com')).toBe(true);
  });
});

describe('isDisposableEmailDomain', () => {
  it.each(['mailinator.com', 'yopmail.com', '10minutemail.com', 'guerrillamail.com', 'Sharklasers.com', 'team.mailinator.com'])('given %p, then it is disposable', (domain) => {
    expect(isDisposableEmailDomain(domain)).toBe(true);
  });

  it.each(['gmail.com', 'outlook.com', 'acme-corp.com', 'co.uk', 'com'])('given %p, then it is not disposable', (domain) => {
    expect(isDisposableEmailDomain(domain)).toBe(false);
  });
});

describe('normaliseEmail', () => {
  it('given an address with spaces, capitals and a trailing dot, then it is trimmed, lower-cased and the domain read', () => {
    expect(normaliseEmail('  Jane.Doe@ACME-Corp.com. ')).toEqual({ email: 'jane.doe@acme-corp.com', domain: 'acme-corp.com' });
  });

  it.each(['no-at-sign', '@example.com', 'ada@', 'ada lovelace@example.com'])('given %p, then it is not an address', (raw) => {
    expect(normaliseEmail(raw)).toBeUndefined();
  });
});
