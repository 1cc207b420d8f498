export { enrichLead } from './enrich-lead';
export { InvalidEmailError } from './enrichment-error';
export { isFreeEmailDomain, normaliseEmail, type NormalisedEmail } from './email';
export { toE164 } from './phone';
export { companyKey, tidyCompanyName } from './company';
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
