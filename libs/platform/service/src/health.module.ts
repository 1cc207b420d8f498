import { Controller, type DynamicModule, Get, HttpCode, HttpException, HttpStatus, Module } from '@nestjs/common';
import { ReadinessRegistry } from './readiness';

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
  static forRoot(options: { checkTimeoutMs?: number } = {}): DynamicModule {
    return {
      module: HealthModule,
      global: true,
      controllers: [HealthController],
      providers: [{ provide: ReadinessRegistry, useFactory: () => new ReadinessRegistry(options.checkTimeoutMs) }],
      exports: [ReadinessRegistry],
    };
  }
}
