// KafkaConsumers.register without a broker: which consumers a registration makes and what it refuses.
import 'reflect-metadata';
import { TOPICS } from '@leadstream/contracts';
import type { Logger } from '@leadstream/platform-observability';
import { EventPublisher } from './event-publisher';
import { KafkaConsumers } from './kafka.module';

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const settings = { brokers: ['127.0.0.1:1'], clientId: 'register-test' };

function registry(bulkFetchMaxBytes?: number): KafkaConsumers {
  return new KafkaConsumers({ ...settings, logger: quiet, bulkFetchMaxBytes }, new EventPublisher(settings, { logger: quiet }));
}

const handler = async (): Promise<never[]> => [];

describe('KafkaConsumers.register', () => {
  it('makes a live consumer and a bulk one on the bulk twins, publishing in their own lanes', () => {
    const { live, bulk } = registry().register({ groupId: 'scoring', topics: [TOPICS.leadResolved], handler });
    expect([live.groupId, live.lane, live.deadLetterTopic]).toEqual(['scoring', 'live', 'scoring.dlq.v1']);
    expect([bulk?.groupId, bulk?.lane, bulk?.deadLetterTopic]).toEqual(['scoring.bulk', 'bulk', 'scoring.bulk.dlq.v1']);
  });

  it('fetches 1 MiB at a time in the bulk lane unless the module or the registration says otherwise', () => {
    const plain = registry().register({ groupId: 'a', topics: [TOPICS.leadResolved], handler });
    expect([plain.live.fetchMaxBytes, plain.bulk?.fetchMaxBytes]).toEqual([2 * 1024 * 1024, 1024 * 1024]);
    expect(registry(4096).register({ groupId: 'b', topics: [TOPICS.leadResolved], handler }).bulk?.fetchMaxBytes).toBe(4096);
    expect(registry(4096).register({ groupId: 'c', topics: [TOPICS.leadResolved], handler, bulkMaxBytes: 8192 }).bulk?.fetchMaxBytes).toBe(8192);
  });

  it('makes only the live consumer with bulkLane: false, and readiness names what it registered', () => {
    const consumers = registry();
    const { bulk } = consumers.register({ groupId: 'scoring', topics: [TOPICS.leadResolved], handler, bulkLane: false });
    expect(bulk).toBeUndefined();
    expect(() => consumers.assertReady()).toThrow('Kafka not ready: publisher, consumer scoring');
  });

  it('refuses a group registered twice, either lane, naming it', () => {
    const consumers = registry();
    consumers.register({ groupId: 'routing', topics: [TOPICS.leadScored], handler });
    expect(() => consumers.register({ groupId: 'routing', topics: [TOPICS.leadScored], handler, bulkLane: false })).toThrow(
      'a consumer for group routing is already registered',
    );
    expect(() => consumers.register({ groupId: 'routing.bulk', topics: [TOPICS.leadScored], handler, bulkLane: false })).toThrow(
      'a consumer for group routing.bulk is already registered',
    );
  });

  it('refuses a topic that has no bulk twin, naming it', () => {
    expect(() => registry().register({ groupId: 'odd', topics: ['leads-unversioned'], handler })).toThrow(/"leads-unversioned" has no bulk twin/);
    expect(registry().register({ groupId: 'odd', topics: ['leads-unversioned'], handler, bulkLane: false }).live.groupId).toBe('odd');
  });
});
