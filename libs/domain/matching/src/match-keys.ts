import type { EnrichedLead } from '@leadstream/contracts';
import { foldName, matchProfile } from './match-profile';

/**
 * Strong identifiers: a lead sharing one of these with another is very likely the same person.
 * `email:<mailbox key>` (none for an unusable address), `phone:<E.164>` (only a phone enrichment
 * parsed), `ext:<system>:<id>` (the lead's ids in external systems). Never throws.
 */
export function exactKeys(lead: EnrichedLead): string[] {
  const profile = matchProfile(lead);
  const keys: string[] = [];
  if (profile.mailbox !== '') keys.push(`email:${profile.mailbox}`);
  if (profile.phone !== '') keys.push(`phone:${profile.phone}`);
  for (const id of profile.externalIds) keys.push(`ext:${id}`);
  return keys;
}

/**
 * Narrow keys under which a lead's possible duplicates are looked up; two leads that should be compared
 * share at least one. Every key pairs a name with the company, so a common name at different companies
 * shares nothing, and a large company is split by name:
 *
 * - `lc:<last>|<company>`: family name at the company (survives a typo or nickname in the given name);
 * - `fc:<given>|<last initial>|<company>`: canonical given name (nickname table) and the family name's
 *   initial at the company (survives a typo in the family name after its first letter);
 * - `sw:<name>|<name>|<company>`: the two canonical names in alphabetical order (survives swapped names);
 * - `in:<initial>|<initial>|<company>`: the initials of the two names in alphabetical order (survives
 *   a typo in both names after their first letter, and swapped names with a typo). At a company with
 *   thousands of leads this is the widest key, one in a few hundred of its people: maxCandidatesPerKey
 *   caps it.
 *
 * `<company>` is the company key without spaces and, for a work email, the company's name in its domain
 * ("acme" for acme.co.uk), so "Acme Inc" typed with a Gmail address meets jane@acme.com. A lead with
 * neither has no blocking key and is found only through exactKeys (a name alone is not evidence enough).
 */
export function blockingKeys(lead: EnrichedLead): string[] {
  const profile = matchProfile(lead);
  const companies = new Set<string>();
  if (profile.company !== '') companies.add(profile.company);
  if (profile.domainLabel !== '') companies.add(profile.domainLabel);
  const keys = new Set<string>();
  for (const company of companies) {
    if (profile.last !== '') keys.add(`lc:${profile.last}|${company}`);
    if (profile.first !== '' && profile.last !== '') {
      const [one, two] = [profile.first.slice(0, 1), profile.last.slice(0, 1)].sort();
      keys.add(`in:${one}|${two}|${company}`);
    }
    for (const given of profile.firstCanonical) {
      keys.add(`fc:${given}|${profile.last.slice(0, 1)}|${company}`);
      if (profile.last === '') continue;
      for (const family of profile.lastCanonical) {
        const pair = given < family ? `${given}|${family}` : `${family}|${given}`;
        keys.add(`sw:${pair}|${company}`);
      }
    }
  }
  return [...keys];
}

/**
 * The account (company) a lead belongs to: `domain:<companyDomain>` for a work email, otherwise
 * `name:<companyKey>` when it named a company, otherwise undefined (a personal address and no company).
 */
export function accountKeyOf(lead: EnrichedLead): string | undefined {
  const domain = typeof lead.companyDomain === 'string' ? lead.companyDomain.trim().toLowerCase() : '';
  if (domain !== '' && lead.isFreeEmail !== true) return `domain:${domain}`;
  const key = typeof lead.companyKey === 'string' ? lead.companyKey.trim().toLowerCase().replace(/\s+/g, ' ') : '';
  if (key !== '') return `name:${key}`;
  return foldName(lead.company) === '' ? undefined : `name:${foldName(lead.company)}`;
}
