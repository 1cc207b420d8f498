import type { Provider } from '@nestjs/common';
import { validateRoutingConfig, type RoutingConfig } from '@leadstream/domain-routing';

export const ROUTING_CONFIG = Symbol('ROUTING_CONFIG');

const DEFAULT_REPS = 'rep-1:Ada Lovelace,rep-2:Grace Hopper,rep-3:Alan Turing';

/**
 * Reps from ROUTING_REPS (`id:Name,id:Name`), queues from ROUTING_DEFAULT_QUEUE / ROUTING_NURTURE_QUEUE,
 * the lowest grade a rep gets from ROUTING_MIN_GRADE. Validated on load: a bad value stops start-up
 * with the variable named.
 */
export function readRoutingConfig(env: NodeJS.ProcessEnv = process.env): RoutingConfig {
  const reps = (env['ROUTING_REPS'] ?? DEFAULT_REPS)
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const [repId, ...name] = entry.split(':');
      if (!repId || name.length === 0) throw new Error(`ROUTING_REPS entry "${entry}" must look like id:Name`);
      return { repId: repId.trim(), name: name.join(':').trim(), active: true };
    });
  return validateRoutingConfig({
    version: env['ROUTING_CONFIG_VERSION'] ?? '1',
    reps,
    defaultQueueId: env['ROUTING_DEFAULT_QUEUE'] ?? 'unassigned',
    nurtureQueueId: env['ROUTING_NURTURE_QUEUE'] ?? 'nurture',
    minGradeForRep: env['ROUTING_MIN_GRADE'] ?? 'B',
  });
}

export const routingConfigProvider: Provider = { provide: ROUTING_CONFIG, useFactory: () => readRoutingConfig() };
