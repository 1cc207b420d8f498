import type { Provider } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { DEFAULT_MATCH_RULES, parseMatchRules, type MatchRules } from '@leadstream/domain-matching';

export const MATCH_RULES = Symbol('MATCH_RULES');

/**
 * The active match rules: the file named by DEDUPE_MATCH_RULES_FILE (JSON, validated on load: a bad file
 * stops start-up with the field named; fields it leaves out take the defaults) or the built-in version 1.
 */
export function readMatchRules(env: NodeJS.ProcessEnv = process.env): MatchRules {
  const file = env['DEDUPE_MATCH_RULES_FILE'];
  if (!file) return DEFAULT_MATCH_RULES;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`DEDUPE_MATCH_RULES_FILE ${file} could not be read as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseMatchRules(raw);
}

export const matchRulesProvider: Provider = { provide: MATCH_RULES, useFactory: (): MatchRules => readMatchRules() };
