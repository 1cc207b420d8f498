import { combineLookups, type ChainedLookup, type CompanyQuery, type FirmographicsLookup, type FirmographicsProvider } from '@leadstream/domain-enrichment';

export interface ChainedProvider {
  readonly provider: FirmographicsProvider;
  /** The longest this provider may hold a lead; past it the chain moves on with a `timeout` failure. */
  readonly budgetMs: number;
}

/**
 * Asks the providers in order (the local reference dataset first, then a commercial service if one is
 * configured) and stops at the first that finds the company. A provider that overruns its budget, or
 * breaks its promise never to reject, is recorded as failed and the next one is asked: a lead is never
 * held longer than the sum of the budgets, and never lost.
 */
export class FirmographicsChain {
  constructor(private readonly providers: readonly ChainedProvider[]) {
    for (const { provider, budgetMs } of providers) {
      if (!Number.isInteger(budgetMs) || budgetMs < 1) throw new Error(`provider ${provider.name}: budgetMs must be a positive whole number, got ${budgetMs}`);
    }
  }

  get names(): string[] {
    return this.providers.map(({ provider }) => provider.name);
  }

  async lookUp(query: CompanyQuery): Promise<ChainedLookup> {
    const attempts: FirmographicsLookup[] = [];
    for (const { provider, budgetMs } of this.providers) {
      const attempt = await withinBudget(provider, query, budgetMs);
      attempts.push(attempt);
      if (attempt.outcome === 'found') break;
    }
    return combineLookups('firmographics', attempts);
  }

  /**
   * A batch of leads, each answered as lookUp would: every provider is asked once for all the queries
   * still unanswered (one round trip where it offers lookUpMany, else the lookups at the same time),
   * within its budget for the whole batch.
   */
  async lookUpMany(queries: readonly CompanyQuery[]): Promise<ChainedLookup[]> {
    const attempts: FirmographicsLookup[][] = queries.map(() => []);
    let pending = queries.map((_query, index) => index);
    for (const { provider, budgetMs } of this.providers) {
      if (pending.length === 0) break;
      const answers = await batchWithinBudget(provider, pending.map((index) => queries[index] as CompanyQuery), budgetMs);
      pending.forEach((index, position) => attempts[index]?.push(answers[position] as FirmographicsLookup));
      pending = pending.filter((_index, position) => answers[position]?.outcome !== 'found');
    }
    return attempts.map((tried) => combineLookups('firmographics', tried));
  }
}

async function batchWithinBudget(provider: FirmographicsProvider, queries: readonly CompanyQuery[], budgetMs: number): Promise<FirmographicsLookup[]> {
  if (!provider.lookUpMany) return Promise.all(queries.map((query) => withinBudget(provider, query, budgetMs)));
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<FirmographicsLookup[]>((resolve) => {
    const failed: FirmographicsLookup = { outcome: 'failed', provider: provider.name, reason: 'timeout', detail: `no answer within the chain's budget of ${budgetMs} ms` };
    timer = setTimeout(() => resolve(queries.map(() => failed)), budgetMs);
  });
  try {
    const asked = Promise.resolve()
      .then(() => (provider.lookUpMany as NonNullable<FirmographicsProvider['lookUpMany']>).call(provider, queries))
      .then((answers) => {
        if (answers.length !== queries.length) throw new Error(`answered ${answers.length} of ${queries.length} lookups`);
        return answers;
      })
      .catch((error: unknown): FirmographicsLookup[] => {
        const failed: FirmographicsLookup = { outcome: 'failed', provider: provider.name, reason: 'unavailable', detail: error instanceof Error ? error.message : String(error) };
        return queries.map(() => failed);
      });
    return await Promise.race([asked, overrun]);
  } finally {
    clearTimeout(timer);
  }
}

async function withinBudget(provider: FirmographicsProvider, query: CompanyQuery, budgetMs: number): Promise<FirmographicsLookup> {
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<FirmographicsLookup>((resolve) => {
    timer = setTimeout(() => resolve({ outcome: 'failed', provider: provider.name, reason: 'timeout', detail: `no answer within the chain's budget of ${budgetMs} ms` }), budgetMs);
  });
  try {
    const asked = Promise.resolve()
      .then(() => provider.lookUp(query))
      .catch((error: unknown): FirmographicsLookup => ({ outcome: 'failed', provider: provider.name, reason: 'unavailable', detail: error instanceof Error ? error.message : String(error) }));
    return await Promise.race([asked, overrun]);
  } finally {
    clearTimeout(timer);
  }
}
