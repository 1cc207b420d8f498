// @leadstream/broker: a single-node development broker speaking the Kafka wire protocol.
// Not a production broker: see tools/broker/README.md.
export { startBroker } from './broker';
export type { BrokerOptions, RunningBroker } from './broker';
export type { BrokerLogger } from './logger';
export { consoleLogger, silentLogger } from './logger';
