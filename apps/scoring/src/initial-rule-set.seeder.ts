import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Logger } from '@leadstream/platform-observability';
import type { ReadinessRegistry } from '@leadstream/platform-service';
import type { DataSource } from 'typeorm';
import type { InitialRuleSet } from './initial-rule-set.provider';
import { ruleSetRepository } from './persistence/rule-set.repository';

const RETRY_MS = 500;

/**
 * Once PostgreSQL is connected and migrated, stores the initial rule set (SCORING_RULES_FILE or the demo
 * set) as the first version and activates it, when no version is active yet. Until that is done the
 * service reports not ready ('rule-set') and the consumer retries its batches. Replicas starting
 * together each try; the store keeps one copy (ruleSetRepository.storeInitial).
 */
export class InitialRuleSetSeeder implements OnModuleInit, OnApplicationShutdown {
  private done = false;
  private lastProblem = 'not stored yet';
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly readiness: ReadinessRegistry,
    private readonly initial: InitialRuleSet,
    private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.readiness.register('rule-set', () => {
      if (!this.done) throw new Error(this.lastProblem);
    });
    void this.attempt();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async attempt(): Promise<void> {
    const { ruleSet, file } = this.initial;
    const source = file === undefined ? 'the demo rule set' : `SCORING_RULES_FILE ${file}`;
    try {
      // The DataSource connects in the background (ServiceRuntimeModule): usually not yet at start.
      if (!this.dataSource.isInitialized) throw new Error('PostgreSQL is not connected and migrated yet');
      const outcome = await this.dataSource.transaction((transaction) => ruleSetRepository.storeInitial(transaction, ruleSet));
      this.done = true;
      if (outcome.stored && outcome.activeVersion === ruleSet.version) {
        this.logger.info(`stored rule set ${ruleSet.version} (${source}) as the first version and activated it`, { ruleSetVersion: ruleSet.version });
      } else if (outcome.activeVersion !== ruleSet.version && file !== undefined) {
        this.logger.warn(
          `${source} (version ${ruleSet.version}) is not used: rule set ${outcome.activeVersion} is active; manage versions with POST /v1/scoring/rule-sets and .../:version/activate`,
          { ruleSetVersion: outcome.activeVersion },
        );
      } else {
        this.logger.info(`scoring with rule set ${outcome.activeVersion}`, { ruleSetVersion: outcome.activeVersion });
      }
    } catch (error) {
      if (this.stopped) return;
      this.lastProblem = `the initial rule set is not stored yet: ${error instanceof Error ? error.message : String(error)}`;
      this.timer = setTimeout(() => void this.attempt(), RETRY_MS);
    }
  }
}
