export { enrichLead } from './enrich-lead';
export { InvalidEmailError } from './enrichment-error';
export { isFreeEmailDomain, normaliseEmail, type NormalisedEmail } from './email';
export { toE164 } from './phone';
export { companyKey, tidyCompanyName } from './company';
export { normaliseCountry } from './country';
