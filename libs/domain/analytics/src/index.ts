export { WrongLeadError, evolveLeadState, leadsChangedBy, projectLeadState, type LeadState, type LeadStatus } from './lead-state';
