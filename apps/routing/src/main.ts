import './instrument';
import { runService } from '@leadstream/platform-service';
import { RoutingModule } from './routing.module';

void runService('routing', (config) => RoutingModule.forRoot(config));
