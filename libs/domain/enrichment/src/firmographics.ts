import type { CompanyFirmographics } from '@leadstream/contracts';

// Firmographics: what is known about the company behind a lead, from whichever provider answered.
// Pure types and helpers; the providers themselves (a table, an HTTP service) are adapters in
// apps/enrichment/src/providers.

/** The firmographic fields a provider can fill. */
export const FIRMOGRAPHIC_FIELDS = ['companyName', 'industry', 'employeeCount', 'annualRevenue', 'country', 'parentDomain'] as const;
export type FirmographicField = (typeof FIRMOGRAPHIC_FIELDS)[number];

/**
 * One company as a provider knows it: the shape `lead.enriched` carries (contracts' CompanyFirmographics).
 * `domain` is the key (lower case, no `www.`); the rest may be unknown.
 */
export type Firmographics = CompanyFirmographics;

/** What to look a company up by: its domain, and optionally its normalised name (companyKey). */
export interface CompanyQuery {
  readonly domain?: string;
  readonly nameKey?: string;
}

/** Why a provider gave no answer. None of these loses the lead: it goes on without firmographics. */
export type ProviderFailureReason = 'timeout' | 'unavailable' | 'circuit-open' | 'bad-response';

export type FirmographicsLookup =
  | {
      readonly outcome: 'found';
      readonly provider: string;
      /** How the company was found: by the domain, or by the normalised name. */
      readonly matchedBy: 'domain' | 'name';
      readonly firmographics: Firmographics;
      /** Fields the provider does not know for this company. */
      readonly missing: readonly FirmographicField[];
    }
  | { readonly outcome: 'not-found'; readonly provider: string }
  | { readonly outcome: 'failed'; readonly provider: string; readonly reason: ProviderFailureReason; readonly detail: string };

/**
 * A source of firmographics. `lookUp` never rejects: a slow or broken source answers `failed` with a
 * reason, so the lead that asked is enriched with what else is known instead of being held or lost.
 */
export interface FirmographicsProvider {
  readonly name: string;
  lookUp(query: CompanyQuery): Promise<FirmographicsLookup>;
  /**
   * A batch of lookups at once (one answer per query, in order), for a consumer's batch of leads; a
   * provider that can answer many in one round trip offers it. Never rejects either.
   */
  lookUpMany?(queries: readonly CompanyQuery[]): Promise<FirmographicsLookup[]>;
}

/**
 * The key a company domain is stored and looked up under: trimmed, lower case, scheme, path, port and
 * a leading `www.` removed; undefined when nothing domain-like is left. "https://WWW.Acme.com/about" -> "acme.com".
 */
export function normaliseCompanyDomain(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let text = raw.trim().toLowerCase();
  text = text.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  text = text.replace(/[/?#].*$/, '').replace(/:\d+$/, '').replace(/\.$/, '');
  text = text.replace(/^www\d*\./, '');
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/.test(text)) return undefined;
  return text;
}

/** A `found` lookup for these firmographics, naming the fields that are unknown. */
export function foundFirmographics(provider: string, matchedBy: 'domain' | 'name', firmographics: Firmographics): FirmographicsLookup {
  return { outcome: 'found', provider, matchedBy, firmographics, missing: missingFirmographicFields(firmographics) };
}

export function missingFirmographicFields(firmographics: Firmographics): FirmographicField[] {
  return FIRMOGRAPHIC_FIELDS.filter((field) => {
    const value = firmographics[field];
    return value === undefined || value === '';
  });
}

/** The outcome of a chain of providers: the first `found`, and what every provider tried said. */
export interface ChainedLookup {
  readonly result: FirmographicsLookup;
  readonly attempts: readonly FirmographicsLookup[];
}

/**
 * Combines the providers' answers in chain order: the first `found` wins; otherwise `not-found` when any
 * provider could answer, else the first failure (nothing could be asked). Pure, so the order rule is
 * tested without I/O.
 */
export function combineLookups(chainName: string, attempts: readonly FirmographicsLookup[]): ChainedLookup {
  const found = attempts.find((attempt) => attempt.outcome === 'found');
  if (found) return { result: found, attempts };
  if (attempts.length === 0) return { result: { outcome: 'not-found', provider: chainName }, attempts };
  const answered = attempts.find((attempt) => attempt.outcome === 'not-found');
  if (answered) return { result: { outcome: 'not-found', provider: attempts.map((attempt) => attempt.provider).join(',') }, attempts };
  return { result: attempts[0] as FirmographicsLookup, attempts };
}
