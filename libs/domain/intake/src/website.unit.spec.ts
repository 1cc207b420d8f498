import { websiteProblem } from './website';

describe('websiteProblem', () => {
  it.each([
    'acme.com',
    'www.acme.com',
    'https://www.acme.com/about',
    'http://acme.com',
    'HTTPS://WWW.ACME.COM/About?ref=x#team',
    'acme.com:8080/path',
    'shop.acme.co.uk',
    'münchen.de',
    'https://xn--mnchen-3ya.de',
    'acme.com.',
  ])('takes %p', (website) => {
    expect(websiteProblem(website)).toBeUndefined();
  });

  it.each([
    ['acme .com', /^must not contain spaces/],
    ['https://acme.com/our team', /^must not contain spaces/],
    ['ftp://acme.com', /^must be an http or https address, not ftp:$/],
    ['mailto:sales@acme.com', /^must be an http or https address, not mailto:$/],
    ['javascript:alert(1)', /^must be an http or https address, not javascript:$/],
    ['https:/acme.com', /^is not a web address such as acme\.com/],
    ['http://acme.com:99999', /^is not a web address/],
    ['ada@acme.com', /^must not carry a user name or password/],
    ['https://user:secret@acme.com', /^must not carry a user name or password/],
    ['acme', /^has the host "acme", which is not a domain name/],
    ['localhost:3000', /^has the host "localhost"/],
    ['192.168.0.1', /^has the host "192\.168\.0\.1"/],
    ['acme_corp.com', /which is not a domain name/],
    ['acme.123', /^is not a web address/], // a last label of digits makes the URL parser read an IPv4 address
    ['n/a', /which is not a domain name/],
  ])('refuses %p', (website, message) => {
    expect(websiteProblem(website)).toMatch(message);
  });
});
