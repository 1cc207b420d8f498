export { leadRejectedEvent, reportRejection, type RejectionOrigin, type RejectionReason } from './lead-rejection';
