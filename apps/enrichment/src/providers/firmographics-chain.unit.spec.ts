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

  it('a batch asks each provider once for the leads still unanswered, and keeps each lead its own attempts', async () => {
    const calls: string[][] = [];
    const local: FirmographicsProvider = {
      name: 'reference-dataset',
      lookUp: () => Promise.reject(new Error('the chain should use lookUpMany')),
      lookUpMany: async (queries) => {
        calls.push(queries.map((query) => query.domain ?? '-'));
        return queries.map((query) =>
          query.domain === 'acme.com' ? foundFirmographics('reference-dataset', 'domain', { domain: 'acme.com' }) : { outcome: 'not-found', provider: 'reference-dataset' },
        );
      },
    };
    const remote = new ListProvider('http', ['globex.com']);
    const chained = await new FirmographicsChain([
      { provider: local, budgetMs: 100 },
      { provider: remote, budgetMs: 100 },
    ]).lookUpMany([{ domain: 'acme.com' }, { domain: 'globex.com' }, { domain: 'nowhere.example' }]);
    expect(calls).toEqual([['acme.com', 'globex.com', 'nowhere.example']]);
    expect(remote.asked.map((query) => query.domain)).toEqual(['globex.com', 'nowhere.example']);
    expect(chained.map((lookup) => `${lookup.result.provider}:${lookup.result.outcome}`)).toEqual(['reference-dataset:found', 'http:found', 'reference-dataset,http:not-found']);
    expect(chained[0]?.attempts).toHaveLength(1);
  });

  it('a batch provider that never answers fails the whole batch on its budget and the next provider is asked', async () => {
    const stuck: FirmographicsProvider = { ...hanging, lookUpMany: () => new Promise<FirmographicsLookup[]>(() => undefined) };
    const chained = await new FirmographicsChain([
      { provider: stuck, budgetMs: 20 },
      { provider: new ListProvider('http', ['acme.com']), budgetMs: 100 },
    ]).lookUpMany([{ domain: 'acme.com' }, { domain: 'b.com' }]);
    expect(chained.map((lookup) => lookup.attempts.map((attempt) => (attempt.outcome === 'failed' ? attempt.reason : attempt.outcome)))).toEqual([
      ['timeout', 'found'],
      ['timeout', 'not-found'],
    ]);
  });

  it('a batch provider that answers the wrong number of lookups is a failure, not a mix-up', async () => {
    const short: FirmographicsProvider = { name: 'short', lookUp: hanging.lookUp, lookUpMany: async () => [] };
    const [first] = await new FirmographicsChain([{ provider: short, budgetMs: 100 }]).lookUpMany([{ domain: 'a.com' }]);
    expect(first?.result).toEqual({ outcome: 'failed', provider: 'short', reason: 'unavailable', detail: 'answered 0 of 1 lookups' });
  });

  it('refuses a budget that is not a positive whole number', () => {
    expect(() => new FirmographicsChain([{ provider: hanging, budgetMs: 0 }])).toThrow('provider hanging: budgetMs must be a positive whole number, got 0');
  });
});
