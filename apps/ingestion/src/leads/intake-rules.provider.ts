import { readFileSync } from 'node:fs';
import { DEFAULT_INTAKE_RULES, validateIntakeRules, type IntakeRules } from '@leadstream/domain-intake';

/** Injection token of the IntakeRules every intake channel validates leads with. */
export const INTAKE_RULES = Symbol('INTAKE_RULES');

/**
 * The validation rules: the JSON file named by INGESTION_RULES_FILE, checked on load (a file that
 * cannot be read or used stops the service with the reason), else DEFAULT_INTAKE_RULES.
 */
export function loadIntakeRules(env: NodeJS.ProcessEnv = process.env): IntakeRules {
  const file = env['INGESTION_RULES_FILE'];
  if (file === undefined || file.trim() === '') return DEFAULT_INTAKE_RULES;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`INGESTION_RULES_FILE ${file}: cannot be read as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return validateIntakeRules(raw);
  } catch (error) {
    throw new Error(`INGESTION_RULES_FILE ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
