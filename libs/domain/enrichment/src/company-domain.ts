import { isFreeEmailDomain, normaliseEmail } from './email';
import { normaliseCompanyDomain } from './firmographics';

const MAX_WEBSITE_LENGTH = 2048;
// `mailto:`, `javascript:`, `ftp://` ...; `acme.com:8080` is a host and port, not a scheme.
const SCHEME = /^([a-z][a-z0-9+.-]*):(?!\d)/i;
const WEB_SCHEME = /^https?:\/\//i;
const TOP_LEVEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * Sites whose host names no company of the lead's: people put their profile, a short link or a page on a
 * shared host in "website". Taking such a host for the company domain would give every one of those
 * leads the firmographics of LinkedIn or Google and, since dedupe groups accounts by domain, put them all
 * in one account. Subdomains count too (`de.linkedin.com`, `acme.wixsite.com`). Free-mail hosts
 * (gmail.com, ...) are refused through `isFreeEmailDomain`, not listed here.
 */
const NO_COMPANY_HOSTS: ReadonlySet<string> = new Set([
  // social networks and profile sites
  'linkedin.com', 'facebook.com', 'fb.com', 'instagram.com', 'twitter.com', 'x.com', 'youtube.com', 'tiktok.com',
  'pinterest.com', 'xing.com', 'github.com', 'medium.com', 'wa.me', 'youtu.be',
  // link shorteners and link-in-bio pages
  'bit.ly', 't.co', 'tinyurl.com', 'goo.gl', 'ow.ly', 'buff.ly', 'lnkd.in', 'linktr.ee',
  // shared hosting and site builders: the host is the platform's
  'sites.google.com', 'wixsite.com', 'wordpress.com', 'blogspot.com', 'github.io', 'business.site', 'carrd.co', 'notion.site',
]);

/** True for a host (or a subdomain of one) that names no company: social, shortener, shared host or free mail. */
export function isNoCompanyHost(host: string): boolean {
  if (isFreeEmailDomain(host)) return true;
  let candidate = host;
  for (;;) {
    if (NO_COMPANY_HOSTS.has(candidate)) return true;
    const dot = candidate.indexOf('.');
    if (dot < 0) return false;
    candidate = candidate.slice(dot + 1);
  }
}

/** The website as an http(s) URL (`https://` assumed without a scheme), or `undefined` when it is no web address. */
function websiteUrl(raw: string | undefined): URL | undefined {
  const text = raw?.trim();
  if (text === undefined || text === '' || text.length > MAX_WEBSITE_LENGTH || /\s/u.test(text)) return undefined;
  const scheme = SCHEME.exec(text)?.[1];
  if (scheme !== undefined && !WEB_SCHEME.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(scheme === undefined ? `https://${text}` : text);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '') return undefined;
  const labels = url.hostname.replace(/\.$/, '').split('.');
  if (labels.length < 2 || !TOP_LEVEL.test(labels[labels.length - 1] as string)) return undefined;
  return url;
}

/**
 * A submitted website as `EnrichedLead.website` carries it: an absolute http(s) URL without query or
 * fragment (tracking parameters, not the company's address), host in lower case and punycode, `https://`
 * assumed when none was given; only the origin when the path would make it longer than 2048 characters
 * (the URL parser percent-encodes non-ASCII paths). `undefined` when it is no web address.
 * `acme.com` -> `https://acme.com/`; `HTTP://WWW.Acme.com:8080/About?x=1` -> `http://www.acme.com:8080/About`.
 */
export function normaliseWebsite(raw: string | undefined): string | undefined {
  const url = websiteUrl(raw);
  if (url === undefined) return undefined;
  const full = `${url.origin}${url.pathname}`;
  return full.length <= MAX_WEBSITE_LENGTH ? full : `${url.origin}/`;
}

/**
 * The company host of a website: lower case, punycode for IDNs (`münchen.de` -> `xn--mnchen-3ya.de`),
 * `www.` stripped, port, path and query dropped; `undefined` when the website is no web address or its host
 * names no company (`isNoCompanyHost`). Subdomains are kept (`shop.acme.co.uk`), as they are for an
 * email domain: there is no public-suffix list here to tell `acme.co.uk` from `co.uk`.
 */
export function websiteCompanyDomain(website: string | undefined): string | undefined {
  const url = websiteUrl(website);
  const host = url === undefined ? undefined : normaliseCompanyDomain(url.hostname);
  return host === undefined || isNoCompanyHost(host) ? undefined : host;
}

/**
 * The lead's company domain: the work email's domain; when the email is free mail or disposable (or has
 * no domain), the company host of the website (`websiteCompanyDomain`); otherwise `undefined`. A work
 * email wins over the website, since it is the address the lead answers at.
 */
export function companyDomainOf(email: string | undefined, website: string | undefined): string | undefined {
  const domain = email === undefined ? undefined : normaliseEmail(email)?.domain;
  if (domain !== undefined && !isFreeEmailDomain(domain)) return domain;
  return websiteCompanyDomain(website);
}
