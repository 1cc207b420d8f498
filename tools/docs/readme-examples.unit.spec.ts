// The README's rule-set example is one a user can post as it is: it passes the scoring service's validation.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateRuleSet } from '@leadstream/domain-scoring';

const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('the README', () => {
  it('shows a scoring rule set that validates as written', () => {
    const match = /<!-- example: scoring rule set -->\n```json\n([\s\S]*?)\n```/.exec(readme);
    expect(match).not.toBeNull();
    const shown = JSON.parse(match?.[1] ?? '') as { version: string };
    expect(validateRuleSet(shown).version).toBe(shown.version);
  });
});
