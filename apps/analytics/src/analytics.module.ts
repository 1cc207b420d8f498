import { type DynamicModule, Module } from '@nestjs/common';
import { ServiceRuntimeModule, type ServiceConfig } from '@leadstream/platform-service';
import { AnalyticsHttpModule } from './http/analytics-http.module';
import { EveryTopicConsumer } from './consumers/every-topic.consumer';
import { ANALYTICS_MIGRATIONS } from './persistence/migrations';

/** Every topic -> the append-only event log and the lead_state projection; history and state over HTTP. */
@Module({})
export class AnalyticsModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AnalyticsModule,
      imports: [ServiceRuntimeModule.forRoot({ config, migrations: ANALYTICS_MIGRATIONS }), AnalyticsHttpModule],
      controllers: [EveryTopicConsumer],
    };
  }
}
