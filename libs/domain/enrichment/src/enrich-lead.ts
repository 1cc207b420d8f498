import type { EnrichedLead, LeadFields } from '@leadstream/contracts';
import { companyKey, tidyCompanyName } from './company';
import { companyDomainOf, normaliseWebsite } from './company-domain';
import { normaliseCountry } from './country';
import { isDisposableEmailDomain, isFreeEmailDomain, normaliseEmail } from './email';
import { InvalidEmailError } from './enrichment-error';
import { classifyJobTitle } from './job-title';
import { normalisePersonName } from './person-name';
import { normalisePhone } from './phone';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function tidy(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const tidied = value.normalize('NFC').trim().replace(/\s+/g, ' ');
  return tidied.length === 0 ? undefined : tidied;
}

/**
 * The lead's ids in other systems with system names trimmed and lower-cased and ids trimmed; blank ids
 * dropped, `undefined` when none is left. Intake already hands them over so; this keeps the promise for
 * any producer of lead.received. Should two names meet in one after lower-casing, the first is kept.
 */
function tidyExternalIds(externalIds: LeadFields['externalIds']): Record<string, string> | undefined {
  if (externalIds === undefined) return undefined;
  const tidied: Record<string, string> = {};
  for (const [name, id] of Object.entries(externalIds)) {
    const system = name.trim().toLowerCase();
    const trimmed = typeof id === 'string' ? id.trim() : '';
    if (system === '' || trimmed === '' || Object.hasOwn(tidied, system)) continue;
    tidied[system] = trimmed;
  }
  return Object.keys(tidied).length === 0 ? undefined : tidied;
}

/**
 * Normalises a submitted lead (no external look-ups; README "What enrichLead guarantees"):
 * - email trimmed and lower-cased; emailDomain; isFreeEmail and isDisposableEmail from maintained lists;
 *   all four absent for a lead without email;
 * - companyDomain = the email domain unless it is a free or disposable provider (or there is no email),
 *   else the website's company host (companyDomainOf); website normalised to an http(s) URL, dropped when it is none;
 * - names in NFC, honorifics and suffixes split off, re-cased only when typed in one case;
 * - company tidied for display, plus companyKey for matching;
 * - title tidied, with the seniority and department read from it;
 * - country as ISO alpha-2 when recognised (an unrecognised country is dropped, not guessed);
 * - phone in E.164 when valid (the lead's country as the region of a national number), with what was
 *   typed kept in phoneAsTyped; otherwise kept as typed and flagged phoneUnparseable;
 * - other text fields trimmed with inner whitespace collapsed, empty ones dropped; source lower-cased;
 * - externalIds carried with system names lower-cased and ids trimmed (never otherwise changed: dedupe
 *   compares them as the other system wrote them).
 * Throws InvalidEmailError ('ENRICHMENT.INVALID_EMAIL') when an email is given but has no local part or
 * domain; no other input makes it throw (a missing email does not).
 */
export function enrichLead(lead: LeadFields): EnrichedLead {
  const email = lead.email === undefined ? undefined : normaliseEmail(lead.email);
  if (lead.email !== undefined && email === undefined) throw new InvalidEmailError(lead.email);
  const isDisposableEmail = email === undefined ? undefined : isDisposableEmailDomain(email.domain);
  const isFreeEmail = email === undefined ? undefined : isDisposableEmail === true || isFreeEmailDomain(email.domain);
  const country = lead.country === undefined ? undefined : normaliseCountry(lead.country);
  const phone = lead.phone === undefined ? undefined : normalisePhone(lead.phone, country);
  const company = tidy(lead.company);
  const name = normalisePersonName({ firstName: lead.firstName, lastName: lead.lastName });
  const title = tidy(lead.title);
  const titleClass = title === undefined ? undefined : classifyJobTitle(title);

  const enriched: Mutable<EnrichedLead> = {
    // A lead without email (known by its phone, an external id, or its name and company) gets no
    // email-derived field: the lead.enriched contract wants them absent, not false or empty.
    email: email?.email,
    emailDomain: email?.domain,
    isFreeEmail,
    isDisposableEmail,
    companyDomain: companyDomainOf(email?.email, lead.website),
    honorific: name.honorific,
    firstName: name.firstName,
    lastName: name.lastName,
    nameSuffix: name.nameSuffix,
    company: company === undefined ? undefined : tidyCompanyName(company),
    companyKey: company === undefined ? undefined : companyKey(company),
    title,
    seniority: titleClass?.seniority,
    department: titleClass?.department,
    phone: phone?.phone,
    phoneAsTyped: phone?.asTyped,
    phoneUnparseable: phone?.unparseable,
    country,
    source: tidy(lead.source)?.toLowerCase(),
    campaign: tidy(lead.campaign),
    website: normaliseWebsite(lead.website),
    // Attribution is carried as captured: it is evidence of where the lead came from, not data to clean.
    attribution: lead.attribution,
    externalIds: tidyExternalIds(lead.externalIds),
  };
  for (const key of Object.keys(enriched) as (keyof EnrichedLead)[]) {
    if (enriched[key] === undefined) delete enriched[key];
  }
  return enriched;
}
