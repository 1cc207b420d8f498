import { memoised } from './memo';
// Legal-form suffixes that do not tell two companies apart ("Acme Inc" and "Acme, Inc." are one company),
// written as the key sees them: lower case, no accents or punctuation, dotted letters joined ("S.A." -> "sa").
const LEGAL_SUFFIXES = [
  'incorporated', 'inc', 'corporation', 'corp', 'company', 'co', 'limited', 'ltd', 'llc', 'llp', 'lp', 'plc', 'pllc',
  'limited liability company', 'co ltd', 'pvt ltd', 'private limited', 'pvt',
  'gmbh', 'ag', 'kg', 'kgaa', 'gmbh and co kg', 'ag and co kg', 'ug', 'ev', 'se',
  'sa', 'sas', 'sasu', 'sarl', 'sca', 'srl', 'spa', 'snc', 'sl', 'slu', 'lda', 'ltda', 'sa de cv', 'sab de cv', 'sapi de cv', 'sab',
  'bv', 'nv', 'bvba', 'vof', 'oy', 'oyj', 'ab', 'publ', 'as', 'asa', 'aps', 'a s', 'sro', 'as', 'kft', 'zrt', 'nyrt', 'sp zoo', 'doo',
  'pty', 'pty ltd', 'pte', 'pte ltd', 'sdn bhd', 'bhd', 'kk', 'gk', 'yk', 'ooo', 'oao', 'zao', 'pao', 'ao',
  // Cyrillic spellings of the Russian forms.
  'ооо', 'оао', 'зао', 'пао', 'ао',
];
// Longest first, so "pty ltd" goes before "ltd".
const SUFFIX_PATTERNS = [...new Set(LEGAL_SUFFIXES)]
  .sort((a, b) => b.length - a.length)
  .map((suffix) => new RegExp(`(?:^| )${suffix}$`, 'u'));
// Japanese and Chinese legal forms are written without a space, before or after the name.
const CJK_LEGAL_FORMS = ['股份有限公司', '有限责任公司', '有限公司', '株式会社', '有限会社', '合同会社', '合資会社', '合名会社', '(株)', '㈱'];

// Latin letters that do not decompose into a base letter and an accent, spelled as they are in ASCII ("Mærsk" = "Maersk").
const LATIN_FOLDS: Readonly<Record<string, string>> = { ß: 'ss', æ: 'ae', ø: 'o', œ: 'oe', ł: 'l', đ: 'd', þ: 'th', ı: 'i' };

/** Display form: Unicode NFC, trimmed, inner whitespace collapsed; otherwise as the lead typed it. */
export function tidyCompanyName(raw: string): string {
  return raw.normalize('NFC').trim().replace(/\s+/g, ' ');
}

function stripCjkLegalForms(name: string): string {
  let stripped = name;
  for (const form of CJK_LEGAL_FORMS) {
    if (stripped.length > form.length && stripped.startsWith(form)) stripped = stripped.slice(form.length).trim();
    if (stripped.length > form.length && stripped.endsWith(form)) stripped = stripped.slice(0, -form.length).trim();
  }
  return stripped;
}

/**
 * A key under which spellings of one company meet: lower case, no accents or punctuation, "&" as "and",
 * a leading "The" and legal suffixes removed ("The ACME Company, Inc." and "Acme Corporation" -> "acme").
 * Letters of every script are kept ("Яндекс ООО" -> "яндекс", "トヨタ株式会社" -> "トヨタ"). Undefined when
 * nothing is left.
 */
export const companyKey: (raw: string) => string | undefined = memoised(keyOfCompany);

function keyOfCompany(raw: string): string | undefined {
  let key = stripCjkLegalForms(raw.normalize('NFC').trim())
    .normalize('NFKD')
    // Accents off Latin letters only; marks of other scripts (Devanagari vowel signs, kana voicing) are letters' parts.
    .replace(/(\p{Script=Latin})[\u0300-\u036f]+/gu, '$1')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[ßæøœłđþı]/g, (letter) => LATIN_FOLDS[letter] ?? letter)
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, ' ')
    .trim()
    // Dotted abbreviations arrive as single letters: "S.A." -> "s a" -> "sa".
    .replace(/(?<=^| )(\p{L}) (?=\p{L}(?: |$))/gu, '$1');
  if (key.length === 0) return undefined;
  if (key.startsWith('the ')) key = key.slice(4);
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
