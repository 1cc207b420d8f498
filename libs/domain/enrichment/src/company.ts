// Legal-form suffixes that do not tell two companies apart ("Acme Inc" and "Acme, Inc." are one company).
const LEGAL_SUFFIXES = [
  'incorporated', 'inc', 'corporation', 'corp', 'company', 'co', 'limited', 'ltd', 'llc', 'llp', 'lp', 'plc',
  'gmbh', 'ag', 'kg', 'gmbh and co kg', 'ug', 'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv', 'oy', 'ab', 'as', 'aps',
  'pty', 'pty ltd', 'pte', 'pte ltd', 'kk', 'sp zoo', 'sl', 'lda',
];
// Longest first, so "pty ltd" goes before "ltd".
const SUFFIX_PATTERNS = [...LEGAL_SUFFIXES]
  .sort((a, b) => b.length - a.length)
  .map((suffix) => new RegExp(`(?:^| )${suffix}$`));

/** Display form: trimmed, inner whitespace collapsed. */
export function tidyCompanyName(raw: string): string {
  return raw.trim().replace(/\s+/g, ' ');
}

/**
 * A key under which spellings of one company meet: lower case, no accents or punctuation, "&" as "and",
 * legal suffixes removed ("ACME, Inc." and "Acme Corporation" -> "acme"). Undefined when nothing is left.
 */
export function companyKey(raw: string): string | undefined {
  let key = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    // Dotted abbreviations arrive as single letters: "S.A." -> "s a" -> "sa".
    .replace(/\b([a-z]) (?=[a-z]\b)/g, '$1');
  if (key.length === 0) return undefined;
  // Strip repeatedly ("Acme Holdings Co Ltd"), but never down to nothing ("Company Inc" stays "company").
  for (;;) {
    const pattern = SUFFIX_PATTERNS.find((suffix) => suffix.test(key));
    if (pattern === undefined) break;
    const stripped = key.replace(pattern, '').trim();
    if (stripped.length === 0) break;
    key = stripped;
  }
  return key;
}
