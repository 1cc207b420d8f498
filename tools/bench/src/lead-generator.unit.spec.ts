import { enrichLead } from '@leadstream/domain-enrichment';
import { blockingKeys, exactKeys } from '@leadstream/domain-matching';
import { generateLead } from './lead-generator';

describe('generateLead', () => {
  const leads = Array.from({ length: 2_000 }, (_, i) => generateLead('r1x', i));

  it('gives every lead of a run its own email, also after dropping dots and +tags (so dedupe merges none)', () => {
    const normalised = leads.map((lead) => lead.email.toLowerCase().replace(/\+[^@]*@/, '@').replace(/\./g, ''));
    expect(new Set(normalised).size).toBe(leads.length);
  });

  it('gives different runs different emails for the same index', () => {
    expect(generateLead('runa', 7).email).not.toBe(generateLead('runb', 7).email);
  });

  it('varies the fields that scoring and routing look at', () => {
    for (const field of ['title', 'country', 'source', 'company', 'campaign'] as const) {
      expect({ field, distinct: new Set(leads.map((lead) => lead[field])).size > 3 }).toEqual({ field, distinct: true });
    }
    const freeMail = leads.filter((lead) => /@(gmail|outlook|yahoo)\.com$/.test(lead.email)).length;
    expect(freeMail / leads.length).toBeCloseTo(0.2, 1);
  });

  it('produces values the ingestion DTO accepts: plausible email, phone characters, lengths', () => {
    for (const lead of leads) {
      expect(lead.email).toMatch(/^[a-z0-9.-]+@[a-z0-9.-]+\.[a-z]+$/);
      expect(lead.email.length).toBeLessThanOrEqual(254);
      expect(lead.phone).toMatch(/^[+()\-.\s\d]{4,40}$/);
      expect(lead.country).toMatch(/^[A-Z]{2}$/);
    }
  });

  it('gives dedupe no key that two leads share, so each lead of a run reaches routing as its own', () => {
    const owners = new Map<string, number>();
    const shared: string[] = [];
    leads.forEach((lead, index) => {
      const enriched = enrichLead(lead);
      for (const key of [...exactKeys(enriched), ...blockingKeys(enriched)]) {
        const owner = owners.get(key);
        if (owner !== undefined && owner !== index) shared.push(`${key} (leads ${owner} and ${index})`);
        owners.set(key, index);
      }
    });
    expect(shared).toEqual([]);
  });

  it('is deterministic', () => {
    expect(generateLead('r1x', 42)).toEqual(leads[42]);
  });
});
