export { WrongLeadError, evolveLeadState, projectLeadState, type LeadState, type LeadStatus } from './lead-state';
