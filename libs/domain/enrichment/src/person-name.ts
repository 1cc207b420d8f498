/** A person's name as typed: first and last name fields. */
export interface TypedPersonName {
  readonly firstName?: string;
  readonly lastName?: string;
}

/** A person's name after normalisation; blank parts are absent. */
export interface NormalisedPersonName {
  readonly firstName?: string;
  readonly lastName?: string;
  /** Forms of address taken off the front ("Dr", "Prof Dr", "Mrs"), in their usual written form. */
  readonly honorific?: string;
  /** Generational and academic suffixes taken off the end ("Jr", "III", "PhD"). */
  readonly nameSuffix?: string;
}

// Key: the token lower-cased without dots. Value: how it is written once split off.
const HONORIFICS: Readonly<Record<string, string>> = {
  mr: 'Mr', mister: 'Mr', mrs: 'Mrs', ms: 'Ms', miss: 'Miss', mx: 'Mx',
  dr: 'Dr', doctor: 'Dr', prof: 'Prof', professor: 'Prof',
  sir: 'Sir', dame: 'Dame', lord: 'Lord', lady: 'Lady', rev: 'Rev', revd: 'Rev', reverend: 'Rev', fr: 'Fr',
  herr: 'Herr', frau: 'Frau', mme: 'Mme', mlle: 'Mlle', madame: 'Mme', monsieur: 'M', sra: 'Sra', srta: 'Srta',
  dott: 'Dott', dottssa: 'Dott.ssa',
};
const SUFFIXES: Readonly<Record<string, string>> = {
  jr: 'Jr', junior: 'Jr', sr: 'Sr', senior: 'Sr', ii: 'II', iii: 'III', iv: 'IV',
  phd: 'PhD', md: 'MD', dds: 'DDS', dvm: 'DVM', mba: 'MBA', cpa: 'CPA', esq: 'Esq', jd: 'JD', msc: 'MSc', bsc: 'BSc',
};
// Lower-case name particles ("van der Berg", "de la Cruz") when re-casing a name typed in one case.
const PARTICLES: ReadonlySet<string> = new Set(['van', 'von', 'vom', 'der', 'den', 'ter', 'ten', 'de', 'da', 'di', 'du', 'del', 'della', 'dos', 'das', 'zu', 'y']);
// Articles that are particles only after another ("de la Cruz"); alone "La" and "Le" are surnames.
const ARTICLES: ReadonlySet<string> = new Set(['la', 'le', 'las', 'los']);

function tokenKey(token: string): string {
  return token.toLowerCase().replace(/[.,]/g, '');
}

function tidy(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const tidied = value.normalize('NFC').trim().replace(/\s+/g, ' ').replace(/^[,\s]+|[,\s]+$/g, '');
  return tidied.length === 0 ? undefined : tidied;
}

/** Only a name written wholly in Latin letters is re-cased; other scripts keep what the lead typed. */
function isLatinOnly(name: string): boolean {
  return !/[^\p{Script=Latin}\P{L}]/u.test(name);
}

/** True when the cased letters are all upper or all lower: "JANE", "jane". Mixed case was chosen by the lead. */
function isSingleCase(name: string): boolean {
  return name === name.toUpperCase() || name === name.toLowerCase();
}

function capitalise(word: string): string {
  return word.length === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1);
}

function recaseWord(word: string): string {
  const lower = word.toLowerCase();
  // Hyphenated ("jean-luc") and apostrophe names ("o'neil", "d'arcy"): each part capitalised.
  return lower
    .split('-')
    .map((part) => {
      const mc = /^mc(\p{L}.*)$/u.exec(part);
      if (mc !== null) return `Mc${capitalise(mc[1] as string)}`;
      return part
        .split(/(['’])/)
        .map((piece) => capitalise(piece))
        .join('');
    })
    .join('-');
}

/** "JOHN VAN DER BERG" -> "John van der Berg"; "mcdonald" -> "McDonald"; "o'neil" -> "O'Neil". */
export function recaseName(name: string): string {
  if (!isLatinOnly(name) || !isSingleCase(name)) return name;
  const words = name.split(' ');
  return words
    .map((word, index) => {
      const lower = word.toLowerCase();
      const last = index === words.length - 1;
      if (!last && PARTICLES.has(lower)) return lower;
      if (!last && index > 0 && ARTICLES.has(lower) && PARTICLES.has((words[index - 1] as string).toLowerCase())) return lower;
      return recaseWord(word);
    })
    .join(' ');
}

/** Splits honorifics off the front of the words; what is left is never emptied of the last word. */
function takeHonorifics(words: string[], keepOne: boolean): string[] {
  const taken: string[] = [];
  while (words.length > (keepOne ? 1 : 0)) {
    const canonical = HONORIFICS[tokenKey(words[0] as string)];
    if (canonical === undefined) break;
    taken.push(canonical);
    words.shift();
  }
  return taken;
}

function takeSuffixes(words: string[]): string[] {
  const taken: string[] = [];
  while (words.length > 1) {
    const canonical = SUFFIXES[tokenKey(words[words.length - 1] as string)];
    if (canonical === undefined) break;
    taken.unshift(canonical);
    words.pop();
  }
  return taken;
}

function words(value: string | undefined): string[] {
  return value === undefined ? [] : value.replace(/,/g, ', ').split(' ').filter((word) => word.replace(/,/g, '').length > 0);
}

function joined(parts: string[]): string | undefined {
  const text = parts.join(' ').replace(/,+$/, '').replace(/\s*,\s*$/, '').trim();
  return text.length === 0 ? undefined : text;
}

/**
 * Normalises a typed name: Unicode NFC, whitespace collapsed; honorifics ("Dr.", "Prof", "Mrs") split off
 * the front and suffixes ("Jr.", "III", "PhD") off the end into their own fields; re-cased only when
 * typed all upper or all lower case in Latin script ("JANE O'NEIL" -> "Jane O'Neil"). Names in other
 * scripts pass through in NFC. A name that is only an honorific or a suffix keeps its word. Never throws.
 */
export function normalisePersonName(typed: TypedPersonName): NormalisedPersonName {
  const first = words(tidy(typed.firstName));
  const last = words(tidy(typed.lastName));
  // The honorific stands before the first name, or before the last name when there is no first name.
  const honorifics = first.length > 0 ? takeHonorifics(first, last.length === 0) : takeHonorifics(last, true);
  // Suffixes follow the last name, or the first name when there is no last name.
  const suffixes = last.length > 0 ? takeSuffixes(last) : takeSuffixes(first);
  const firstName = joined(first);
  const lastName = joined(last);
  const result: { -readonly [K in keyof NormalisedPersonName]: NormalisedPersonName[K] } = {};
  if (firstName !== undefined) result.firstName = recaseName(firstName);
  if (lastName !== undefined) result.lastName = recaseName(lastName);
  if (honorifics.length > 0) result.honorific = honorifics.join(' ');
  if (suffixes.length > 0) result.nameSuffix = suffixes.join(' ');
  return result;
}
