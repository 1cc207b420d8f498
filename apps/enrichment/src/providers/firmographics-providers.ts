import type { Queryable } from '@leadstream/platform-persistence';
import { FirmographicsChain, type ChainedProvider } from './firmographics-chain';
import { HttpFirmographicsProvider } from './http-firmographics.provider';
import { HttpProviderConfigError, readHttpProviderConfig, type HttpProviderConfig } from './http-provider-config';
import { ReferenceDatasetProvider } from './reference-dataset.provider';

const DEFAULT_REFERENCE_BUDGET_MS = 500;

/**
 * The chain enrichment uses: the reference dataset in its own schema, then the HTTP provider when
 * ENRICHMENT_HTTP_URL is set. Budgets: ENRICHMENT_REFERENCE_BUDGET_MS, and ENRICHMENT_HTTP_BUDGET_MS
 * (default: every attempt's timeout plus the longest backoffs between them).
 */
export function createFirmographicsChain(db: Queryable, env: NodeJS.ProcessEnv = process.env): FirmographicsChain {
  const providers: ChainedProvider[] = [{ provider: new ReferenceDatasetProvider(db), budgetMs: budget(env, 'ENRICHMENT_REFERENCE_BUDGET_MS', DEFAULT_REFERENCE_BUDGET_MS) }];
  const http = readHttpProviderConfig(env);
  if (http) providers.push({ provider: new HttpFirmographicsProvider(http), budgetMs: budget(env, 'ENRICHMENT_HTTP_BUDGET_MS', defaultHttpBudgetMs(http)) });
  return new FirmographicsChain(providers);
}

export function defaultHttpBudgetMs(config: HttpProviderConfig): number {
  return config.timeoutMs * (config.retries + 1) + config.retryDelayMs * 10 * config.retries;
}

function budget(env: NodeJS.ProcessEnv, variable: string, fallback: number): number {
  const text = env[variable]?.trim();
  if (!text) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new HttpProviderConfigError(`${variable}=${JSON.stringify(text)} is not a positive whole number of milliseconds`);
  return Number(text);
}
