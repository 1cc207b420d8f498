import { Module } from '@nestjs/common';
import { INTAKE_RULES, loadIntakeRules } from './intake-rules.provider';
import { LeadsController } from './leads.controller';

/** POST /v1/leads and /v1/leads/batch, and the intake rules (exported for the other intake channels). */
@Module({
  providers: [{ provide: INTAKE_RULES, useFactory: () => loadIntakeRules() }],
  controllers: [LeadsController],
  exports: [INTAKE_RULES],
})
export class LeadsModule {}
