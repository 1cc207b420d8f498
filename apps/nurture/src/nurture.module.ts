import { type DynamicModule, Module } from '@nestjs/common';
import { ServiceRuntimeModule, type ServiceConfig } from '@leadstream/platform-service';
import { NurtureHttpModule } from './http/nurture-http.module';
import { LeadAssignedConsumer } from './consumers/lead-assigned.consumer';
import { CreateNurtureTables1763900000000 } from './persistence/migrations/1763900000000-create-nurture-tables';

/** lead.assigned to the nurture queue -> an enrolment -> nurture.enrolled. Emails come later. */
@Module({})
export class NurtureModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: NurtureModule,
      imports: [ServiceRuntimeModule.forRoot({ config, migrations: [CreateNurtureTables1763900000000] }), NurtureHttpModule],
      controllers: [LeadAssignedConsumer],
    };
  }
}
