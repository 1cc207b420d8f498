import { Controller, type DynamicModule, Get, HttpCode, HttpException, HttpStatus, Module } from '@nestjs/common';
import { READINESS_CHECK_TIMEOUT_MS, ReadinessRegistry } from './readiness';

@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessRegistry) {}

  /** The process is up and serving HTTP; says nothing about its dependencies. */
  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when every registered check passes, else 503 naming each check's state. */
  @Get('ready')
  async ready(): Promise<{ status: 'ok'; checks: Record<string, string> }> {
    const report = await this.readiness.check();
    if (!report.ready) {
      throw new HttpException({ status: 'not-ready', checks: report.checks }, HttpStatus.SERVICE_UNAVAILABLE);
    }
    return { status: 'ok', checks: report.checks };
  }
}

/**
 * GET /health/live and GET /health/ready. Global: inject ReadinessRegistry anywhere and register
 * the service's checks (`registry.register('database', () => checkDatabase(ds))`).
 */
@Module({})
export class HealthModule {
  private static readonly instances = new Map<number, DynamicModule>();

  // Nest 11 tells dynamic modules apart by object reference, so every forRoot() call would make its
  // own registry and register the routes again. Returning the same object for the same options
  // gives one module, one ReadinessRegistry and one set of routes, however many modules import it.
  static forRoot(options: { checkTimeoutMs?: number } = {}): DynamicModule {
    const timeoutMs = options.checkTimeoutMs ?? 2_000;
    let module = HealthModule.instances.get(timeoutMs);
    if (!module) {
      module = {
        module: HealthModule,
        global: true,
        controllers: [HealthController],
        providers: [ReadinessRegistry, { provide: READINESS_CHECK_TIMEOUT_MS, useValue: timeoutMs }],
        exports: [ReadinessRegistry],
      };
      HealthModule.instances.set(timeoutMs, module);
    }
    return module;
  }
}
