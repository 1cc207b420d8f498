import './instrument';
import { runService } from '@leadstream/platform-service';
import { NurtureModule } from './nurture.module';

void runService('nurture', (config) => NurtureModule.forRoot(config));
