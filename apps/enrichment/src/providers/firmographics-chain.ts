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
