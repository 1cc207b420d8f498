export { TestIds, nextEventId, nextLeadId, resetTestIds, testUuid } from './test-ids';
export { EnrichedLeadBuilder, LeadBuilder, aLead, anEnrichedLead } from './lead-builders';
export {
  EventBuilder,
  LeadResolvedBuilder,
  TEST_TIME,
  aLeadAssignedEvent,
  aLeadEnrichedEvent,
  aLeadMergedEvent,
  aLeadQualifiedEvent,
  aLeadReceivedEvent,
  aLeadRejectedEvent,
  aLeadResolvedEvent,
  aLeadScoredEvent,
  aLeadUnmergedEvent,
  aNurtureEnrolledEvent,
  anActivityRecordedEvent,
} from './event-builders';
export { project, scenarioFor, type DeciderSpec, type ThenStep, type WhenStep } from './scenario';
export { until } from './until';
export { seededRandom } from './seeded-random';
