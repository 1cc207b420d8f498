import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** What enrichment makes of a typed phone: E.164 when it is a valid number, else the typed text. */
export interface NormalisedPhone {
  /** E.164 (`+493012345678`) when the number is valid for its country, otherwise the typed text, trimmed. */
  readonly phone: string;
  /** The typed text, trimmed, when it differs from `phone`. */
  readonly asTyped?: string;
  /** True when the text could not be read as a valid number (then `phone` is the typed text). */
  readonly unparseable?: true;
}

/**
 * E.164 form of a phone number as people type it, for every country: libphonenumber-js with its full
 * metadata reads national and international forms, trunk prefixes ("+44 (0)20"), the lead's country's
 * international dialling prefix ("011 44 ..." from the US, "00 49 ..." from Europe) and extensions (which
 * E.164 has no room for). `country` (ISO alpha-2) is the region a national number is read in.
 * `undefined` when the number is not valid for any country's numbering plan.
 */
export function toE164(raw: string, country: string | undefined): string | undefined {
  const text = raw.trim();
  if (text.length === 0) return undefined;
  // Without a country nothing says which international prefix was dialled; "00" is the one most of the world uses.
  const input = country === undefined && text.startsWith('00') ? `+${text.slice(2)}` : text;
  const parsed = parsePhoneNumberFromString(input, country === undefined ? undefined : { defaultCountry: country as CountryCode });
  return parsed?.isValid() === true ? parsed.number : undefined;
}

/** `toE164` with what the lead typed kept beside it; never throws, whatever the text. */
export function normalisePhone(raw: string, country: string | undefined): NormalisedPhone | undefined {
  const typed = raw.trim().replace(/\s+/g, ' ');
  if (typed.length === 0) return undefined;
  const e164 = toE164(typed, country);
  if (e164 === undefined) return { phone: typed, unparseable: true };
  return e164 === typed ? { phone: e164 } : { phone: e164, asTyped: typed };
}
