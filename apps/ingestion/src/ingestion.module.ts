import { type DynamicModule, Module } from '@nestjs/common';
import { ServiceRuntimeModule, type ServiceConfig } from '@leadstream/platform-service';
import { LeadsModule } from './leads/leads.module';
import { FormsModule } from './forms/forms.module';
import { ActivitiesModule } from './activities/activities.module';
import { INGESTION_MIGRATIONS } from './persistence/migrations';
import { SecurityModule } from './security/security.module';
import { ImportsModule } from './imports/imports.module';

/**
 * The edge: every way leads and activities arrive. Each feature is a module of its own, listed
 * below one per line; they share the runtime (Kafka publisher, the `ingestion` schema, health).
 */
@Module({})
export class IngestionModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: IngestionModule,
      imports: [
        ServiceRuntimeModule.forRoot({ config, migrations: INGESTION_MIGRATIONS }),
        // feature modules, one per line:
        SecurityModule,
        ImportsModule,
        LeadsModule,
        FormsModule,
        ActivitiesModule,
      ],
    };
  }
}
