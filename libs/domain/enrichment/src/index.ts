export { enrichLead } from './enrich-lead';
export { InvalidEmailError } from './enrichment-error';
export { isDisposableEmailDomain, isFreeEmailDomain, normaliseEmail, type NormalisedEmail } from './email';
export { normalisePhone, toE164, type NormalisedPhone } from './phone';
export { normalisePersonName, recaseName, type NormalisedPersonName, type TypedPersonName } from './person-name';
export { classifyJobTitle, departmentOf, seniorityOf, type JobTitleClass } from './job-title';
export { companyKey, tidyCompanyName } from './company';
export { companyDomainOf, isNoCompanyHost, normaliseWebsite, websiteCompanyDomain } from './company-domain';
export { normaliseCountry } from './country';
export {
  FIRMOGRAPHIC_FIELDS,
  combineLookups,
  foundFirmographics,
  missingFirmographicFields,
  normaliseCompanyDomain,
  type ChainedLookup,
  type CompanyQuery,
  type FirmographicField,
  type Firmographics,
  type FirmographicsLookup,
  type FirmographicsProvider,
  type ProviderFailureReason,
} from './firmographics';
export {
  DEFAULT_TERRITORY_TABLE,
  InvalidTerritoryTableError,
  assignTerritory,
  validateTerritoryTable,
  type TerritoryAssignment,
  type TerritoryRule,
  type TerritoryTable,
} from './territory';
