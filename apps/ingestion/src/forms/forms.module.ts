import { Module } from '@nestjs/common';
import { LeadsModule } from '../leads/leads.module';
import { readTrustedProxies, TRUSTED_PROXIES, TrustedProxiesSetting } from '../http/client-address';
import { FormCatalog } from './form-catalog';
import { FormsController } from './forms.controller';

/**
 * Web-to-lead forms: definitions (file and admin API), public form posts, HTML snippets. It also sets
 * which proxies' X-Forwarded-For ingestion believes (the form posts' per-visitor limit keys on it).
 */
@Module({
  imports: [LeadsModule],
  providers: [FormCatalog, { provide: TRUSTED_PROXIES, useFactory: () => readTrustedProxies() }, TrustedProxiesSetting],
  controllers: [FormsController],
})
export class FormsModule {}
