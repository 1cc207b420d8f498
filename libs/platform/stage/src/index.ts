export { StageRunner, DEFAULT_MAX_LOCKS_PER_TRANSACTION, type StageBatch, type StageDefinition, type StageEvent, type StageHandler, type StageRunnerOptions } from './lib/stage-runner';
export { StageTransport, StageContext, PassStageErrorsThrough, STAGE_EXTRAS, connectStageTransport, declaredStage, lockOn, stage, type StageOptions, type StageTransportOptions } from './lib/stage.transport';
export { StageModule, type StageModuleOptions } from './lib/stage.module';
export { InboxPruner, pruneInbox, readInboxRetention, DEFAULT_INBOX_RETENTION, type InboxRetention } from './lib/inbox-pruner';
export { stageMigrations } from './lib/stage-inbox.migration';
export { advisoryLockIds } from './lib/lead-locks';
export { StageUnderTest, KILLED_BEFORE_PUBLISHING, consumedAs, fixedClock, type StageUnderTestSettings } from './lib/stage-under-test';
