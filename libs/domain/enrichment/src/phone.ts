// Country calling codes of the markets leads mostly come from. `trunk` is the national prefix dropped
// when dialling from abroad (Italy keeps its leading 0, so it has none).
interface CallingPlan {
  readonly code: string;
  readonly trunk?: string;
}
const CALLING_PLANS: Readonly<Record<string, CallingPlan>> = {
  US: { code: '1', trunk: '1' }, CA: { code: '1', trunk: '1' },
  GB: { code: '44', trunk: '0' }, IE: { code: '353', trunk: '0' }, DE: { code: '49', trunk: '0' }, AT: { code: '43', trunk: '0' },
  CH: { code: '41', trunk: '0' }, FR: { code: '33', trunk: '0' }, BE: { code: '32', trunk: '0' }, NL: { code: '31', trunk: '0' },
  ES: { code: '34' }, PT: { code: '351' }, IT: { code: '39' }, DK: { code: '45' }, NO: { code: '47' },
  SE: { code: '46', trunk: '0' }, FI: { code: '358', trunk: '0' }, PL: { code: '48' },
  AU: { code: '61', trunk: '0' }, NZ: { code: '64', trunk: '0' }, IN: { code: '91', trunk: '0' }, JP: { code: '81', trunk: '0' },
  SG: { code: '65' }, HK: { code: '852' }, CN: { code: '86', trunk: '0' }, BR: { code: '55', trunk: '0' }, MX: { code: '52' },
  ZA: { code: '27', trunk: '0' }, IL: { code: '972', trunk: '0' }, AE: { code: '971', trunk: '0' },
};

// E.164: a country code and subscriber number of at most 15 digits; fewer than 8 is not a dialable number.
const MIN_DIGITS = 8;
const MAX_DIGITS = 15;

function e164(digits: string): string | undefined {
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS || digits.startsWith('0')) return undefined;
  return `+${digits}`;
}

/**
 * E.164 form (`+4930123456`) of a phone number as people type it: punctuation and extensions dropped,
 * `+` or `00` international prefixes, and national numbers when `country` (alpha-2) has a known calling
 * code. `undefined` when the number cannot be read with confidence.
 */
export function toE164(raw: string, country: string | undefined): string | undefined {
  // Extensions ("x204", "ext. 204") are not part of the E.164 number.
  const main = raw.replace(/\s*(?:ext\.?|extension|x|#)\s*\d+\s*$/i, '').trim();
  if (!/^[+\d\s().\-/]+$/.test(main)) return undefined;
  const international = main.startsWith('+');
  // "+44 (0)20 ..." shows the trunk prefix to national callers; it is not dialled from abroad.
  const digits = (international ? main.replace(/\(0\)/g, '') : main).replace(/\D/g, '');
  if (international) return e164(digits);
  if (digits.startsWith('00')) return e164(digits.slice(2));
  const plan = country === undefined ? undefined : CALLING_PLANS[country];
  if (plan === undefined) return undefined;
  if (plan.code === '1') {
    // North American numbering: ten digits whose area code and exchange do not start with 0 or 1.
    const national = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
    return /^[2-9]\d{2}[2-9]\d{6}$/.test(national) ? `+1${national}` : undefined;
  }
  const national = plan.trunk !== undefined && digits.startsWith(plan.trunk) ? digits.slice(plan.trunk.length) : digits;
  if (national.length < 6) return undefined;
  return e164(plan.code + national);
}
