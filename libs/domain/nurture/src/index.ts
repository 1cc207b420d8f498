export {
  DEMO_NURTURE_CONFIG,
  INITIAL_NURTURE_STATE,
  enrolInNurture,
  evolveNurtureState,
  type EnrolInNurture,
  type NurtureConfig,
  type NurtureDecision,
  type NurtureState,
} from './enrol-in-nurture';
