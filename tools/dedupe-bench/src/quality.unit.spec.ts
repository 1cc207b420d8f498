import { DEFAULT_MATCH_RULES, parseMatchRules } from '@leadstream/domain-matching';
import { evaluateQuality } from './evaluate-quality';
import { seededRandom } from '@leadstream/testing';
import { generateLabelledLeads } from './generate-leads';

describe('generateLabelledLeads', () => {
  it('given the same seed, when generated twice, then the same leads come out; another seed gives others', () => {
    const first = generateLabelledLeads({ seed: 3, people: 200 });
    expect(generateLabelledLeads({ seed: 3, people: 200 })).toEqual(first);
    expect(generateLabelledLeads({ seed: 4, people: 200 })).not.toEqual(first);
  });

  it('makes duplicates with realistic corruptions and hard negatives, in arrival order', () => {
    const leads = generateLabelledLeads({ seed: 5, people: 2000 });
    const people = new Set(leads.map((lead) => lead.personId));
    expect(people.size).toBe(2000);
    expect(leads.length).toBeGreaterThan(2000 * 1.3);
    const corruptions = new Set(leads.flatMap((lead) => lead.corruptions));
    for (const kind of ['nickname', 'first-name-typo', 'last-name-typo', 'swapped-names', 'company-variant', 'personal-email', 'phone-missing', 'namesake', 'same-company-same-last-name']) {
      expect(corruptions).toContain(kind);
    }
    expect([...leads].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))).toEqual(leads);
    // No two people share a mailbox, as in real mail systems.
    const owner = new Map<string, string>();
    for (const { lead: { email }, personId } of leads) {
      if (email === undefined) continue; // a lead without email has no mailbox to share
      expect(owner.get(email) ?? personId).toBe(personId);
      owner.set(email, personId);
    }
  });

  it('draws from a seeded generator that repeats', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});

describe('evaluateQuality', () => {
  const leads = generateLabelledLeads({ seed: 9, people: 1500 });

  it('measures pairwise precision and recall of automatic merges against the labels', () => {
    const report = evaluateQuality(leads, DEFAULT_MATCH_RULES);
    expect(report.leads).toBe(leads.length);
    expect(report.autoMerge.actual).toBeGreaterThan(0);
    expect(report.autoMerge.truePositives).toBeLessThanOrEqual(report.autoMerge.predicted);
    expect(report.autoMerge.precision).toBeGreaterThan(0.95);
    expect(report.autoMerge.recall).toBeGreaterThan(0.85);
    expect(report.withReviews.predicted).toBeGreaterThanOrEqual(report.autoMerge.predicted);
  });

  it('given rules that merge nothing but exact mailboxes, then recall drops and precision stays', () => {
    const exactOnly = parseMatchRules({ autoMergeAt: 1, reviewAt: 0.99 });
    const fuzzy = evaluateQuality(leads, DEFAULT_MATCH_RULES);
    const exact = evaluateQuality(leads, exactOnly);
    expect(exact.autoMerge.recall).toBeLessThan(fuzzy.autoMerge.recall);
    expect(exact.autoMerge.precision).toBeGreaterThan(0.99);
  });
});
