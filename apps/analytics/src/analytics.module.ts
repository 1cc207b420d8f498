import { type DynamicModule, Module } from '@nestjs/common';
import { ServiceRuntimeModule, type ServiceConfig } from '@leadstream/platform-service';
import { AnalyticsHttpModule } from './http/analytics-http.module';
import { EveryTopicConsumer } from './consumers/every-topic.consumer';
import { CreateEventLog1763900000000 } from './persistence/migrations/1763900000000-create-event-log';

/** Every topic -> the append-only event log and the lead_state projection; history and state over HTTP. */
@Module({})
export class AnalyticsModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AnalyticsModule,
      imports: [ServiceRuntimeModule.forRoot({ config, migrations: [CreateEventLog1763900000000] }), AnalyticsHttpModule],
      controllers: [EveryTopicConsumer],
    };
  }
}
