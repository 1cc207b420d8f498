/** Longest website intake takes by default and the contracts carry: a URL, as long as a landing page may be. */
export const MAX_WEBSITE_LENGTH = 2048;

// `mailto:`, `javascript:`, `ftp://` ...; `acme.com:8080` is a host and port, not a scheme (a digit follows the colon).
const SCHEME = /^([a-z][a-z0-9+.-]*):(?!\d)/i;
const WEB_SCHEME = /^https?:\/\//i;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TOP_LEVEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const NOT_A_WEB_ADDRESS = 'is not a web address such as acme.com or https://www.acme.com/about';

/**
 * Why `website` (trimmed) is not a company's web address (said of it, to follow `website: `), or
 * `undefined`. Taken: a host name (`acme.com`, `münchen.de`), with or without `http://`/`https://`, a port,
 * a path and a query. Refused: spaces, other schemes (`ftp:`, `mailto:`, `javascript:`), a user name or
 * password, IP addresses and hosts without a dot or a top-level domain of letters. The length is checked
 * by the intake rules' `maxLength.website` before.
 */
export function websiteProblem(website: string): string | undefined {
  if (/\s/u.test(website)) return 'must not contain spaces: give one web address such as acme.com or https://www.acme.com/about';
  const scheme = SCHEME.exec(website)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') return `must be an http or https address, not ${scheme}:`;
  if (scheme !== undefined && !WEB_SCHEME.test(website)) return NOT_A_WEB_ADDRESS;
  let url: URL;
  try {
    url = new URL(scheme === undefined ? `https://${website}` : website);
  } catch {
    return NOT_A_WEB_ADDRESS;
  }
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password (an @ before the host): give the company\'s web address';
  // The URL parser gives the host in lower case and IDNs in punycode (münchen.de -> xn--mnchen-3ya.de).
  const labels = url.hostname.replace(/\.$/, '').split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label)) || !TOP_LEVEL.test(labels[labels.length - 1] as string)) {
    return `has the host "${url.hostname}", which is not a domain name such as acme.com`;
  }
  return undefined;
}
