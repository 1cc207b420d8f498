import { type DynamicModule, Module } from '@nestjs/common';
import { ServiceRuntimeModule, type ServiceConfig } from '@leadstream/platform-service';
import { CreateLeadController } from './http/create-lead.controller';

/** The edge: validates leads and publishes lead.received once Kafka acknowledged it. */
@Module({})
export class IngestionModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: IngestionModule,
      imports: [ServiceRuntimeModule.forRoot({ config })],
      controllers: [CreateLeadController],
    };
  }
}
