import { companyDomainOf, isNoCompanyHost, normaliseWebsite, websiteCompanyDomain } from './company-domain';

describe('companyDomainOf', () => {
  it('takes the work email domain, even when there is a website of another company', () => {
    expect(companyDomainOf('Ada@Acme-Corp.example', 'https://www.globex.example')).toBe('acme-corp.example');
    expect(companyDomainOf('ada@acme-corp.example', undefined)).toBe('acme-corp.example');
  });

  it.each([
    ['free mail', 'ada@gmail.com'],
    ['a disposable mailbox', 'ada@mailinator.com'],
    ['a subdomain of a disposable mailbox', 'ada@x.mailinator.com'],
    ['no usable email', 'no-at-sign'],
    ['no email', undefined],
  ])('given %s and a website, takes the website host', (_name, email) => {
    expect(companyDomainOf(email, 'https://www.acme.example/about')).toBe('acme.example');
  });

  it('has none for free mail without a website, or with one it cannot use', () => {
    expect(companyDomainOf('ada@gmail.com', undefined)).toBeUndefined();
    expect(companyDomainOf('ada@gmail.com', '   ')).toBeUndefined();
    expect(companyDomainOf('ada@gmail.com', 'linkedin.com/in/ada')).toBeUndefined();
    expect(companyDomainOf('ada@gmail.com', 'n/a')).toBeUndefined();
  });
});

describe('websiteCompanyDomain', () => {
  it.each([
    ['acme.com', 'acme.com'],
    ['WWW.Acme.COM', 'acme.com'],
    ['https://www.acme.com/about/team?utm_source=x#top', 'acme.com'],
    ['http://acme.com:8080/path', 'acme.com'],
    ['www2.acme.com', 'acme.com'],
    ['acme.com.', 'acme.com'],
    ['shop.acme.co.uk', 'shop.acme.co.uk'],
    ['münchen.de', 'xn--mnchen-3ya.de'],
    ['https://www.bücher.example/kontakt', 'xn--bcher-kva.example'],
    ['//acme.com', 'acme.com'],
  ])('reads %p as %p', (website, host) => {
    expect(websiteCompanyDomain(website)).toBe(host);
  });

  it.each([
    'linkedin.com/company/acme',
    'https://de.linkedin.com/in/ada',
    'facebook.com/acme',
    'https://m.facebook.com/acme',
    'bit.ly/3xYz',
    'https://twitter.com/acme',
    'acme.wixsite.com/home',
    'https://sites.google.com/view/acme',
    'gmail.com',
    'www.outlook.com',
  ])('does not guess from a social, shortener, shared or free-mail host: %p', (website) => {
    expect(websiteCompanyDomain(website)).toBeUndefined();
  });

  it.each([
    ['garbage', 'not a website'],
    ['a word', 'none'],
    ['another scheme', 'ftp://acme.com'],
    ['javascript', 'javascript:alert(1)'],
    ['an email address', 'ada@acme.com'],
    ['an IP address', 'http://192.168.0.1/'],
    ['a bad port', 'acme.com:99999'],
    ['nothing', ''],
    ['an over-long value', `acme.com/${'a'.repeat(2040)}`],
  ])('ignores %s', (_name, website) => {
    expect(websiteCompanyDomain(website)).toBeUndefined();
  });
});

describe('normaliseWebsite', () => {
  it.each([
    ['acme.com', 'https://acme.com/'],
    [' HTTP://WWW.Acme.com:8080/About?x=1#team ', 'http://www.acme.com:8080/About'],
    ['https://www.acme.com/about', 'https://www.acme.com/about'],
    ['münchen.de/kontakt', 'https://xn--mnchen-3ya.de/kontakt'],
  ])('gives %p as %p', (website, url) => {
    expect(normaliseWebsite(website)).toBe(url);
  });

  it('keeps only the origin when the percent-encoded path would pass 2048 characters, and drops what is no web address', () => {
    expect(normaliseWebsite(`acme.com/${'ü'.repeat(1000)}`)).toBe('https://acme.com/');
    expect(normaliseWebsite('acme dot com')).toBeUndefined();
    expect(normaliseWebsite('mailto:ada@acme.com')).toBeUndefined();
  });
});

describe('isNoCompanyHost', () => {
  it('knows subdomains of listed hosts, and not hosts that merely end alike', () => {
    expect(isNoCompanyHost('uk.linkedin.com')).toBe(true);
    expect(isNoCompanyHost('notlinkedin.com')).toBe(false);
    expect(isNoCompanyHost('acme.com')).toBe(false);
  });
});
