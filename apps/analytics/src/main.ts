import './instrument';
import { runService } from '@leadstream/platform-service';
import { AnalyticsModule } from './analytics.module';

void runService('analytics', (config) => AnalyticsModule.forRoot(config));
