import type { FieldError } from './header-mapping';
import { escapeHtml, type FormDefinition } from './form-definition';
import { DEFAULT_MAX_LENGTH, type IntakeRules } from './intake-rules';
import { FIELD_LABELS, isIntakeFieldName, type IntakeFieldName } from './lead-field-names';
import { emailSyntaxProblem, isDisposableEmailDomain, isNamesNoOneError, phoneProblem } from './validate-lead-input';
import { websiteProblem } from './website';

/** One thing a visitor has to correct, in their terms: the label they saw and what to do. */
export interface VisitorProblem {
  readonly label: string;
  readonly advice: string;
}

function blank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** What the visitor should do about `field`, judged from the value they sent (never from the internal message). */
function adviceFor(field: string, value: unknown, rules: IntakeRules): string {
  if (field === 'consent') return 'Please tick this box to send the form.';
  if (Array.isArray(value)) return 'This was sent more than once; please fill it in once.';
  if (blank(value)) return 'Please fill this in.';
  if (typeof value !== 'string') return 'Please check this entry.';
  const text = value.trim();
  if (isIntakeFieldName(field)) {
    const limit = rules.maxLength[field] ?? DEFAULT_MAX_LENGTH[field];
    if (text.length > limit) return `Please shorten this to at most ${limit} characters (it has ${text.length}).`;
  }
  if (field === 'email') {
    if (emailSyntaxProblem(text) !== undefined) return 'Please enter an email address such as name@example.com.';
    const domain = text.slice(text.indexOf('@') + 1).toLowerCase();
    if (rules.rejectDisposableEmail && isDisposableEmailDomain(domain, rules.disposableDomains)) {
      return 'Please use an email address you read: addresses of throwaway mailbox services are not accepted.';
    }
  }
  if (field === 'phone' && phoneProblem(text) !== undefined) return 'Please enter a phone number of 6 to 15 digits (spaces and + ( ) - are fine).';
  if (field === 'website' && websiteProblem(text) !== undefined) return 'Please enter a web address such as example.com or https://www.example.com.';
  return 'Please check this entry.';
}

/**
 * What a visitor whose post names no one can fill in, by the labels the form shows: its email and phone
 * inputs, and its name and company inputs together.
 */
function namesNoOneProblem(form: FormDefinition): VisitorProblem {
  const labelOf = (...fields: IntakeFieldName[]): string | undefined => form.fields.find((entry) => fields.includes(entry.field))?.label;
  const ways = [labelOf('email'), labelOf('phone')].filter((label): label is string => label !== undefined);
  const name = labelOf('firstName', 'lastName');
  const company = labelOf('company', 'website');
  if (name !== undefined && company !== undefined) ways.push(`${name} and ${company}`);
  const advice = ways.length === 0 ? 'Please tell us how to reach you.' : `Please fill in ${ways.join(' or ')}, so that we know who you are.`;
  return { label: 'How to reach you', advice };
}

/**
 * The refusal of a form post in the visitor's terms: each problem named by the label the form shows
 * (or the field's usual name when the form does not show it), with advice judged from the value sent.
 * `errors` are the structured field errors; `input` the lead input the post was mapped to. A post that
 * names no one is told which of the form's inputs would do (its email, its phone, its name and company).
 */
export function describeFormErrors(
  form: FormDefinition,
  errors: readonly FieldError[],
  input: Readonly<Record<string, unknown>>,
  rules: IntakeRules,
): VisitorProblem[] {
  const seen = new Set<string>();
  const problems: VisitorProblem[] = [];
  // Filling in an empty email or phone the form asks for also names the visitor: one problem says it.
  const identifierAsked = errors.some((error) => error.field === 'email' || error.field === 'phone');
  for (const error of errors) {
    const { field } = error;
    if (isNamesNoOneError(error)) {
      if (!identifierAsked) problems.push(namesNoOneProblem(form));
      continue;
    }
    if (seen.has(field)) continue;
    seen.add(field);
    const shown = form.fields.find((entry) => entry.field === field);
    const label =
      field === 'consent' && form.consent !== undefined
        ? form.consent.text
        : (shown?.label ?? (isIntakeFieldName(field) ? FIELD_LABELS[field as IntakeFieldName] : 'The form'));
    problems.push({ label, advice: adviceFor(field, input[field], rules) });
  }
  return problems;
}

/** A refusal that is not about a field. */
export type FormRefusal =
  | { readonly kind: 'origin-not-allowed' }
  | { readonly kind: 'unknown-form' }
  | { readonly kind: 'rate-limited'; readonly retryAfterSeconds?: number }
  | { readonly kind: 'unavailable'; readonly retryAfterSeconds?: number }
  | { readonly kind: 'unreadable' };

function page(title: string, body: readonly string[]): string {
  return [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body>`,
    `  <h1>${escapeHtml(title)}</h1>`,
    ...body,
    '  <p><a href="javascript:history.back()">Back to the form</a></p>',
    '</body></html>',
    '',
  ].join('\n');
}

/** The page a person sees when the form post has fields to correct. Every text in it is escaped. */
export function renderFormErrorPage(problems: readonly VisitorProblem[]): string {
  return page('Please correct the form', [
    '  <ul>',
    ...problems.map((problem) => `    <li><strong>${escapeHtml(problem.label)}</strong>: ${escapeHtml(problem.advice)}</li>`),
    '  </ul>',
  ]);
}

function wait(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return 'a moment';
  return seconds === 1 ? '1 second' : `${Math.ceil(seconds)} seconds`;
}

/** The page a person sees when the post is refused for a reason that is not one of their fields. */
export function renderFormRefusalPage(refusal: FormRefusal): string {
  switch (refusal.kind) {
    case 'origin-not-allowed':
      return page('This form cannot be sent from this page', [
        '  <p>The form is not set up to take submissions from the website you sent it from. Please use the form on the site of the company it belongs to, or tell them about the problem.</p>',
      ]);
    case 'unknown-form':
      return page('This form is no longer available', ['  <p>The form you sent does not exist (any more). The page it was on may be out of date.</p>']);
    case 'rate-limited':
      return page('Too many submissions', [
        `  <p>Many forms were sent from your network in a short time. Please wait ${wait(refusal.retryAfterSeconds)}, then go back and send the form again.</p>`,
      ]);
    case 'unavailable':
      return page('The form could not be sent just now', [
        `  <p>Nothing was lost on your side. Please wait ${wait(refusal.retryAfterSeconds)}, then go back and send the form again.</p>`,
      ]);
    case 'unreadable':
      return page('The form could not be read', ['  <p>What was sent could not be read as a form. Please go back and send the form again.</p>']);
    default: {
      const unhandled: never = refusal;
      throw new Error(`unknown refusal ${JSON.stringify(unhandled)}`);
    }
  }
}
