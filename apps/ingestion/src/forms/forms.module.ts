import { Module } from '@nestjs/common';
import { LeadsModule } from '../leads/leads.module';
import { FormCatalog } from './form-catalog';
import { FormsController } from './forms.controller';

/** Web-to-lead forms: definitions (file and admin API), public form posts, HTML snippets. */
@Module({
  imports: [LeadsModule],
  providers: [FormCatalog],
  controllers: [FormsController],
})
export class FormsModule {}
