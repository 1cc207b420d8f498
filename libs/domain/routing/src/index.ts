export { DEMO_ROUTING_CONFIG, InvalidRoutingConfigError, validateRoutingConfig, type Rep, type RoutingConfig } from './routing-config';
export {
  INITIAL_ROUTING_STATE,
  InvalidRoutingStateError,
  routeLead,
  type RouteLead,
  type RoutingDecision,
  type RoutingRule,
  type RoutingState,
} from './route-lead';
