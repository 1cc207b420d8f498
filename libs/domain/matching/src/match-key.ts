import { DomainError, type LeadFields } from '@leadstream/contracts';

/**
 * A lead without a usable email has no mailbox key. Dedupe does not need one: it finds such a lead under its
 * other keys (exactKeys: phone, external ids; blockingKeys: name with company), which never throw.
 */
export class NoMatchKeyError extends DomainError {
  readonly code = 'DEDUPE.NO_MATCH_KEY' as const;

  constructor() {
    super('the lead has no usable email, so it has no mailbox key');
  }
}

// Providers that ignore dots in the local part; googlemail.com is gmail.com under another name.
const DOT_BLIND_DOMAINS: Readonly<Record<string, string>> = { 'gmail.com': 'gmail.com', 'googlemail.com': 'gmail.com' };

/**
 * The mailbox an address delivers to, as a key: trimmed, lower-cased, "+tag" sub-addressing removed,
 * and for Gmail dots removed and googlemail.com read as gmail.com. "Jane.Doe+news@GoogleMail.com" and
 * "janedoe@gmail.com" share the key "janedoe@gmail.com".
 */
export function matchKey(lead: Pick<LeadFields, 'email'>): string {
  // Throws rather than returning undefined: callers (the benchmark's generator) only ask for addresses they made.
  const key = mailboxKey(lead.email);
  if (key === undefined) throw new NoMatchKeyError();
  return key;
}

/** The mailbox key of an email (see matchKey), or undefined when the address is unusable; never throws. */
export function mailboxKey(address: string | undefined): string | undefined {
  const email = typeof address === 'string' ? address.trim().toLowerCase() : '';
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return undefined;
  let local = email.slice(0, at);
  let domain = email.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  const canonicalDomain = DOT_BLIND_DOMAINS[domain];
  if (canonicalDomain !== undefined) {
    domain = canonicalDomain;
    local = local.replace(/\./g, '');
  }
  return `${local}@${domain}`;
}
