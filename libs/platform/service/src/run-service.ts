import type { DynamicModule } from '@nestjs/common';
import { createLogger } from '@leadstream/platform-observability';
import { bootstrapService, type BootstrapOptions } from './bootstrap';
import { readServiceConfig, type ServiceConfig, type ServiceName } from './config';

/**
 * A service's whole main(): read its configuration from the environment, build its root module,
 * start it. A configuration error or a failed start is logged as one fatal JSON line naming the
 * problem, and the process exits with 1 (the supervisor decides whether to restart it).
 * Telemetry must already be started (apps import './instrument' first).
 */
export async function runService(
  name: ServiceName,
  rootModule: (config: ServiceConfig) => DynamicModule,
  options: Pick<BootstrapOptions, 'configure' | 'bodyLimit' | 'apiDocs'> = {},
): Promise<void> {
  const logger = createLogger(name);
  try {
    const config = readServiceConfig(name);
    await bootstrapService({ name, module: rootModule(config), port: config.port, host: config.host, logger: createLogger(name, { level: config.logLevel }), ...options });
  } catch (error) {
    logger.error(`${name} could not start: ${error instanceof Error ? error.message : String(error)}`, {
      stack: error instanceof Error ? error.stack : undefined,
    });
    process.exit(1);
  }
}
