import type { EnrichedLead } from '@leadstream/contracts';
import { canonicalGivenNames } from './nicknames';
import { mailboxKey } from './match-key';

/** Values longer than this are cut before they are compared: a 1,000-character name is noise. */
export const MAX_COMPARED_LENGTH = 100;

// Latin letters that Unicode does not decompose into a base letter and an accent.
const LATIN_LIGATURES: Readonly<Record<string, string>> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h' };
const LATIN_ACCENT = /(\p{Script=Latin})\p{M}+/gu;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;
const PLAIN_ASCII = /^[\x20-\x7e]*$/;
const NOT_ASCII_LETTER_OR_DIGIT = /[^a-z0-9]+/g;

/**
 * A name or company as compared: cut to 100 characters, lower case, accents removed from Latin letters
 * only ("Müller" -> "muller", "Ørsted" -> "orsted"; "Дмитрий" and "王芳" keep every letter), and
 * everything but letters and digits dropped ("O'Brien-Smith" -> "obriensmith").
 */
export function foldName(text: string | undefined): string {
  if (typeof text !== 'string' || text === '') return '';
  const lower = text.slice(0, MAX_COMPARED_LENGTH).toLowerCase();
  if (PLAIN_ASCII.test(lower)) return lower.replace(NOT_ASCII_LETTER_OR_DIGIT, ''); // most names: no Unicode work
  return lower
    .normalize('NFD')
    .replace(LATIN_ACCENT, '$1')
    .normalize('NFC')
    .replace(/[ßæœøłđðþıħ]/g, (letter) => LATIN_LIGATURES[letter] ?? letter)
    .replace(NOT_LETTER_OR_DIGIT, '');
}

/** Mailboxes that name a function, not a person: their local part says nothing about who wrote. */
const ROLE_MAILBOXES = new Set(['info', 'sales', 'contact', 'admin', 'office', 'hello', 'marketing', 'support', 'team', 'mail', 'enquiries', 'inquiries', 'hr', 'jobs', 'billing', 'accounts', 'noreply']);

/** A lead's values as the matcher compares them, computed once per lead (see matchProfile). */
export interface MatchProfile {
  /** The email domain when it is a work address (not a free or disposable mailbox), else ''. */
  readonly workDomain: string;
  readonly first: string;
  readonly firstChars: readonly string[];
  /** Canonical given names (nickname table) of the first word of the first name. */
  readonly firstCanonical: readonly string[];
  readonly last: string;
  readonly lastChars: readonly string[];
  readonly lastCanonical: readonly string[];
  /** Folded companyKey (or company name when enrichment gave no key), spaces removed. */
  readonly company: string;
  readonly companyChars: readonly string[];
  readonly companyDomain: string;
  /** The company's name in its domain: "acme" for acme.co.uk. */
  readonly domainLabel: string;
  readonly domainLabelChars: readonly string[];
  /** E.164, only when enrichment could parse the phone. */
  readonly phone: string;
  /** The mailbox key (matchKey), '' when the email is unusable. */
  readonly mailbox: string;
  /** Letters of the mailbox's local part ("john.smith84" -> "johnsmith"), '' for role mailboxes. */
  readonly localPart: string;
  readonly localPartChars: readonly string[];
  /** Letters and digits of the mailbox's local part apart, for numbered mailboxes ("jsmith2"). */
  readonly mailboxLetters: string;
  readonly mailboxDigits: string;
  readonly country: string;
  /** `system:id`, system lower-cased. */
  readonly externalIds: readonly string[];
}

const cache = new WeakMap<EnrichedLead, MatchProfile>();
const swappedCache = new WeakMap<MatchProfile, MatchProfile>();

/** The profile with first and last name exchanged, built once per profile. */
export function swappedProfile(profile: MatchProfile): MatchProfile {
  let swapped = swappedCache.get(profile);
  if (swapped === undefined) {
    swapped = {
      ...profile,
      first: profile.last,
      firstChars: profile.lastChars,
      firstCanonical: profile.lastCanonical,
      last: profile.first,
      lastChars: profile.firstChars,
      lastCanonical: profile.firstCanonical,
    };
    swappedCache.set(profile, swapped);
  }
  return swapped;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function firstWord(value: string | undefined): string {
  if (value === undefined) return '';
  const word = value.trim().split(/[\s-]+/u)[0];
  return foldName(word);
}

function domainLabelOf(domain: string): string {
  const labels = domain.split('.').filter((label) => label !== '');
  if (labels.length < 2) return '';
  const secondLevel = labels[labels.length - 2];
  // acme.co.uk, acme.com.au: the company is the label before the registry's own.
  const underRegistry = labels.length >= 3 && secondLevel.length <= 3 && labels[labels.length - 1].length === 2;
  return foldName(underRegistry ? labels[labels.length - 3] : secondLevel);
}

/** External ids (system -> id) as `system:id`; ignores anything that is not a string map. */
export function externalIdsOf(lead: EnrichedLead): string[] {
  const ids = (lead as { readonly externalIds?: unknown }).externalIds;
  if (typeof ids !== 'object' || ids === null || Array.isArray(ids)) return [];
  const keys: string[] = [];
  for (const [system, id] of Object.entries(ids as Record<string, unknown>)) {
    if (typeof id !== 'string' || id.trim() === '' || system.trim() === '') continue;
    keys.push(`${system.trim().toLowerCase().slice(0, MAX_COMPARED_LENGTH)}:${id.trim().slice(0, MAX_COMPARED_LENGTH)}`);
  }
  return keys.sort();
}

// The characters of a text for Jaro-Winkler; splitting is much cheaper than iterating for plain ASCII.
function charsOf(text: string): string[] {
  return PLAIN_ASCII.test(text) ? text.split('') : [...text];
}

/** Builds a lead's profile without remembering it: for leads seen once (candidates loaded for one decision). */
export function buildProfile(lead: EnrichedLead): MatchProfile {
  const firstName = text(lead.firstName);
  const lastName = text(lead.lastName);
  const first = foldName(firstName);
  const last = foldName(lastName);
  const firstHead = firstWord(firstName);
  const company = foldName(text(lead.companyKey) ?? text(lead.company));
  const companyDomain = (text(lead.companyDomain) ?? '').trim().toLowerCase().slice(0, MAX_COMPARED_LENGTH);
  const domainLabel = companyDomain === '' ? '' : domainLabelOf(companyDomain);
  const phoneText = text(lead.phone)?.trim() ?? '';
  const phone = lead.phoneUnparseable !== true && /^\+\d{7,15}$/.test(phoneText) ? phoneText : '';
  const mailbox = mailboxKey(text(lead.email)) ?? '';
  const local = mailbox === '' ? '' : mailbox.slice(0, mailbox.lastIndexOf('@'));
  const localLetters = foldName(local).replace(/[0-9]+/g, '');
  const localPart = ROLE_MAILBOXES.has(localLetters) ? '' : localLetters;
  const emailDomain = mailbox === '' ? '' : mailbox.slice(mailbox.lastIndexOf('@') + 1);
  const country = (text(lead.country) ?? '').trim().toUpperCase();
  return {
    workDomain: lead.isFreeEmail === false ? emailDomain : '',
    first,
    firstChars: charsOf(first),
    firstCanonical: firstHead === '' ? [] : canonicalGivenNames(firstHead),
    last,
    lastChars: charsOf(last),
    lastCanonical: last === '' ? [] : canonicalGivenNames(last),
    company,
    companyChars: charsOf(company),
    companyDomain,
    domainLabel,
    domainLabelChars: charsOf(domainLabel),
    phone,
    mailbox,
    localPart,
    localPartChars: charsOf(localPart),
    mailboxLetters: localLetters,
    mailboxDigits: local.replace(/\D+/g, ''),
    country,
    externalIds: externalIdsOf(lead),
  };
}

/**
 * The lead's compared values, computed once per lead object and remembered while the object lives
 * (a WeakMap), so comparing one lead with fifty candidates folds its name once.
 */
export function matchProfile(lead: EnrichedLead): MatchProfile {
  let profile = cache.get(lead);
  if (profile === undefined) {
    profile = buildProfile(lead);
    cache.set(lead, profile);
  }
  return profile;
}
