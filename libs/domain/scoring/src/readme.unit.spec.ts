// The README's examples are code that is tested: its demo rule set is DEMO_RULE_SET, and its explanation
// is what scoreLead gives for its input.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { EnrichedLead } from '@leadstream/contracts';
import { DEMO_RULE_SET } from './demo-rule-set';
import { scoreLead, type ScoredActivity } from './score-lead';
import { validateRuleSet } from './validate-rule-set';

const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

function example(name: string): unknown {
  const match = new RegExp(`<!-- example: ${name} -->\\n\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``).exec(readme);
  if (match === null) throw new Error(`the README has no example "${name}"`);
  return JSON.parse(match[1] ?? '');
}

describe('the README', () => {
  it('shows the demo rule set as it is, and it validates', () => {
    const shown = example('demo rule set');
    expect(shown).toEqual(DEMO_RULE_SET);
    expect(validateRuleSet(shown)).toEqual(DEMO_RULE_SET);
  });

  it('explains a score exactly as scoreLead does', () => {
    const input = example('scoring input') as { lead: EnrichedLead; activities: ScoredActivity[]; now: string };
    expect(scoreLead(input.lead, DEMO_RULE_SET, input.activities, new Date(input.now))).toEqual(example('scoring output'));
  });
});
