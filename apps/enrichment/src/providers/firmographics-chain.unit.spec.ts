import { foundFirmographics, type CompanyQuery, type FirmographicsLookup, type FirmographicsProvider } from '@leadstream/domain-enrichment';
import { FirmographicsChain } from './firmographics-chain';

/** A provider answering from a fixed list of domains, recording what it was asked. */
class ListProvider implements FirmographicsProvider {
  readonly asked: CompanyQuery[] = [];
  constructor(
    readonly name: string,
    private readonly known: readonly string[],
  ) {}
  async lookUp(query: CompanyQuery): Promise<FirmographicsLookup> {
    this.asked.push(query);
    return query.domain && this.known.includes(query.domain)
      ? foundFirmographics(this.name, 'domain', { domain: query.domain, companyName: this.name })
      : { outcome: 'not-found', provider: this.name };
  }
}

const hanging: FirmographicsProvider = { name: 'hanging', lookUp: () => new Promise<FirmographicsLookup>(() => undefined) };
const throwing: FirmographicsProvider = {
  name: 'throwing',
  lookUp: () => {
    throw new Error('socket hang up');
  },
};

describe('FirmographicsChain', () => {
  it('given the local dataset knows the company, the commercial service is not asked', async () => {
    const local = new ListProvider('reference-dataset', ['acme.com']);
    const remote = new ListProvider('http', ['acme.com']);
    const chained = await new FirmographicsChain([
      { provider: local, budgetMs: 100 },
      { provider: remote, budgetMs: 100 },
    ]).lookUp({ domain: 'acme.com' });
    expect(chained.result).toMatchObject({ outcome: 'found', provider: 'reference-dataset' });
    expect(remote.asked).toEqual([]);
  });

  it('given the local dataset does not know it, the next provider answers and both attempts are recorded', async () => {
    const chained = await new FirmographicsChain([
      { provider: new ListProvider('reference-dataset', []), budgetMs: 100 },
      { provider: new ListProvider('http', ['globex.com']), budgetMs: 100 },
    ]).lookUp({ domain: 'globex.com' });
    expect(chained.result).toMatchObject({ outcome: 'found', provider: 'http' });
    expect(chained.attempts.map((attempt) => `${attempt.provider}:${attempt.outcome}`)).toEqual(['reference-dataset:not-found', 'http:found']);
  });

  it('a provider that never answers is a timeout after its budget and the chain goes on', async () => {
    const chained = await new FirmographicsChain([
      { provider: hanging, budgetMs: 20 },
      { provider: new ListProvider('reference-dataset', ['acme.com']), budgetMs: 100 },
    ]).lookUp({ domain: 'acme.com' });
    expect(chained.attempts[0]).toEqual({ outcome: 'failed', provider: 'hanging', reason: 'timeout', detail: "no answer within the chain's budget of 20 ms" });
    expect(chained.result).toMatchObject({ outcome: 'found', provider: 'reference-dataset' });
  });

  it('a provider that throws is a failure, not a lost lead', async () => {
    const chained = await new FirmographicsChain([{ provider: throwing, budgetMs: 100 }]).lookUp({ domain: 'acme.com' });
    expect(chained.result).toEqual({ outcome: 'failed', provider: 'throwing', reason: 'unavailable', detail: 'socket hang up' });
  });

  it('refuses a budget that is not a positive whole number', () => {
    expect(() => new FirmographicsChain([{ provider: hanging, budgetMs: 0 }])).toThrow('provider hanging: budgetMs must be a positive whole number, got 0');
  });
});
