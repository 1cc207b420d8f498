// Region codes Intl knows that are not countries in ISO 3166-1 (groupings, pseudo-locales, reserved).
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'ZZ', 'AC', 'CP', 'DG', 'EA', 'IC', 'TA']);

// Spellings people type that the English region names do not cover: alpha-3 codes of the markets
// leads mostly come from, local names, and colloquial names.
const ALIASES: Readonly<Record<string, string>> = {
  uk: 'GB', 'great britain': 'GB', britain: 'GB', england: 'GB', scotland: 'GB', wales: 'GB', 'northern ireland': 'GB', gbr: 'GB',
  usa: 'US', 'u s a': 'US', 'u s': 'US', america: 'US', 'united states of america': 'US', 'the united states': 'US',
  deu: 'DE', deutschland: 'DE', fra: 'FR', esp: 'ES', espana: 'ES', ita: 'IT', italia: 'IT',
  nld: 'NL', holland: 'NL', 'the netherlands': 'NL', nederland: 'NL', bel: 'BE', belgique: 'BE', belgie: 'BE',
  che: 'CH', schweiz: 'CH', suisse: 'CH', svizzera: 'CH', aut: 'AT', osterreich: 'AT', swe: 'SE', sverige: 'SE',
  nor: 'NO', norge: 'NO', dnk: 'DK', danmark: 'DK', fin: 'FI', suomi: 'FI', irl: 'IE', eire: 'IE', prt: 'PT',
  pol: 'PL', polska: 'PL', can: 'CA', aus: 'AU', nzl: 'NZ', ind: 'IN', bharat: 'IN', jpn: 'JP', nippon: 'JP',
  sgp: 'SG', bra: 'BR', brasil: 'BR', mex: 'MX', zaf: 'ZA', rsa: 'ZA', isr: 'IL', are: 'AE', uae: 'AE', emirates: 'AE',
  chn: 'CN', prc: 'CN', hkg: 'HK', kor: 'KR', korea: 'KR', 'republic of korea': 'KR', turkey: 'TR', tur: 'TR',
  russia: 'RU', rus: 'RU', 'czech republic': 'CZ', cze: 'CZ', burma: 'MM', 'ivory coast': 'CI',
};

let namesToCodes: ReadonlyMap<string, string> | undefined;
let countryCodes: ReadonlySet<string> | undefined;

/** Lower-case, no accents, punctuation as spaces: "Côte d’Ivoire" and "cote d'ivoire" meet. */
function nameKey(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

// Built once from the runtime's Unicode region names (Node ships full ICU), so every country is
// recognised by its English name without a hand-maintained table of 250 entries.
function regionNames(): ReadonlyMap<string, string> {
  if (namesToCodes !== undefined) return namesToCodes;
  const names = new Map<string, string>();
  const display = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (const first of letters) {
    for (const second of letters) {
      const code = first + second;
      if (NOT_COUNTRIES.has(code)) continue;
      // Retired codes (UK, BU, DD, YU...) canonicalise to their successor; only successors are countries.
      if (Intl.getCanonicalLocales(`und-${code}`)[0] !== `und-${code}`) continue;
      const name = display.of(code);
      if (name === undefined || name === code) continue;
      names.set(nameKey(name), code);
      // "Myanmar (Burma)" is also "Myanmar"; "Congo - Kinshasa" stays whole (two Congos).
      const paren = name.indexOf(' (');
      if (paren > 0) names.set(nameKey(name.slice(0, paren)), code);
    }
  }
  for (const [alias, code] of Object.entries(ALIASES)) names.set(alias, code);
  namesToCodes = names;
  countryCodes = new Set(names.values());
  return names;
}

function isCountryCode(code: string): boolean {
  regionNames();
  return countryCodes?.has(code) ?? false;
}

/**
 * ISO 3166-1 alpha-2 code (upper case) for a code or a common name ("de", "Germany", "USA", "UK",
 * "Deutschland"); `undefined` when not recognised.
 */
export function normaliseCountry(raw: string): string | undefined {
  const trimmed = raw.trim();
  if (trimmed.length === 0) return undefined;
  if (/^[A-Za-z]{2}$/.test(trimmed)) {
    const code = trimmed.toUpperCase();
    if (code === 'UK') return 'GB';
    return isCountryCode(code) ? code : undefined;
  }
  return regionNames().get(nameKey(trimmed));
}
