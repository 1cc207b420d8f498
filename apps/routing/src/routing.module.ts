import { type DynamicModule, Module } from '@nestjs/common';
import { ServiceRuntimeModule, type ServiceConfig } from '@leadstream/platform-service';
import { RoutingHttpModule } from './http/routing-http.module';
import { LeadScoredConsumer } from './consumers/lead-scored.consumer';
import { CreateRoutingTables1763900000000 } from './persistence/migrations/1763900000000-create-routing-tables';
import { routingConfigProvider } from './routing-config.provider';

/** lead.scored -> lead.assigned (a rep by round robin, or a queue). */
@Module({})
export class RoutingModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: RoutingModule,
      imports: [ServiceRuntimeModule.forRoot({ config, migrations: [CreateRoutingTables1763900000000] }), RoutingHttpModule],
      controllers: [LeadScoredConsumer],
      providers: [routingConfigProvider],
    };
  }
}
