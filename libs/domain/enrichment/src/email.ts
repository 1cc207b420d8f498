import freeEmailDomains from 'free-email-domains';
import { blacklist as disposableEmailDomains } from 'mailchecker';

// Both lists are maintained packages (docs/adr/0014-enrichment-reference-lists.md). free-email-domains
// holds free mailbox providers (HubSpot's list) and throwaway ones; mailchecker holds throwaway ones.
const FREE_EMAIL_DOMAINS: ReadonlySet<string> = new Set(freeEmailDomains);
const DISPOSABLE_EMAIL_DOMAINS: ReadonlySet<string> = disposableEmailDomains();

/** True for a mailbox provider anyone can sign up to: an address there says nothing about the lead's employer. */
export function isFreeEmailDomain(domain: string): boolean {
  const normalised = domain.toLowerCase();
  return FREE_EMAIL_DOMAINS.has(normalised) || isDisposableEmailDomain(normalised);
}

/**
 * True for a disposable (throwaway) mailbox provider, or a subdomain of one ("x.mailinator.com"): the
 * address will likely not answer.
 */
export function isDisposableEmailDomain(domain: string): boolean {
  let candidate = domain.toLowerCase();
  for (;;) {
    if (DISPOSABLE_EMAIL_DOMAINS.has(candidate)) return true;
    const dot = candidate.indexOf('.');
    if (dot < 0) return false;
    candidate = candidate.slice(dot + 1);
  }
}

export interface NormalisedEmail {
  readonly email: string;
  readonly domain: string;
}

/** Trims and lower-cases; `undefined` when there is no non-empty local part and domain. */
export function normaliseEmail(raw: string): NormalisedEmail | undefined {
  const email = raw.trim().toLowerCase();
  const at = email.lastIndexOf('@');
  if (at <= 0) return undefined;
  // A trailing dot is a valid fully-qualified form of the same domain.
  const domain = email.slice(at + 1).replace(/\.+$/, '');
  if (domain.length === 0 || /\s/.test(email)) return undefined;
  return { email: `${email.slice(0, at)}@${domain}`, domain };
}
