import type { EnrichedLead, LeadFields } from '@leadstream/contracts';
import { companyKey, tidyCompanyName } from './company';
import { normaliseCountry } from './country';
import { isFreeEmailDomain, normaliseEmail } from './email';
import { InvalidEmailError } from './enrichment-error';
import { toE164 } from './phone';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function tidy(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const tidied = value.trim().replace(/\s+/g, ' ');
  return tidied.length === 0 ? undefined : tidied;
}

/**
 * Normalises a submitted lead (first version, no external look-ups):
 * - email trimmed and lower-cased; emailDomain; isFreeEmail for free mailbox providers;
 * - companyDomain = the email domain unless it is a free provider;
 * - company tidied for display, plus companyKey for matching;
 * - country as ISO alpha-2 when recognised (an unrecognised country is dropped, not guessed);
 * - phone in E.164 when parseable with the lead's country, otherwise kept as typed (trimmed);
 * - other text fields trimmed with inner whitespace collapsed, empty ones dropped; source lower-cased.
 * Throws InvalidEmailError ('ENRICHMENT.INVALID_EMAIL') when the email has no local part or domain.
 */
export function enrichLead(lead: LeadFields): EnrichedLead {
  const email = normaliseEmail(lead.email);
  if (email === undefined) throw new InvalidEmailError(lead.email);
  const isFreeEmail = isFreeEmailDomain(email.domain);
  const country = lead.country === undefined ? undefined : normaliseCountry(lead.country);
  const phone = tidy(lead.phone);
  const company = lead.company === undefined ? undefined : tidyCompanyName(lead.company);

  const enriched: Mutable<EnrichedLead> = {
    email: email.email,
    emailDomain: email.domain,
    isFreeEmail,
    companyDomain: isFreeEmail ? undefined : email.domain,
    firstName: tidy(lead.firstName),
    lastName: tidy(lead.lastName),
    company: company === '' ? undefined : company,
    companyKey: company === undefined ? undefined : companyKey(company),
    title: tidy(lead.title),
    phone: phone === undefined ? undefined : (toE164(phone, country) ?? phone),
    country,
    source: tidy(lead.source)?.toLowerCase(),
    campaign: tidy(lead.campaign),
    // Attribution is carried as captured: it is evidence of where the lead came from, not data to clean.
    attribution: lead.attribution,
  };
  for (const key of Object.keys(enriched) as (keyof EnrichedLead)[]) {
    if (enriched[key] === undefined) delete enriched[key];
  }
  return enriched;
}
