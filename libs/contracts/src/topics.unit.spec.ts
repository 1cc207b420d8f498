import { EVENT_TYPES } from './events';
import { ALL_LANE_TOPICS, ALL_TOPICS, TOPICS, bulkTopicOf, deadLetterTopicFor, laneOfTopic, topicFor } from './topics';

describe('topics', () => {
  it('every event type has its own topic carrying the major version', () => {
    const topics = EVENT_TYPES.map((type) => topicFor(type));
    expect(new Set(topics).size).toBe(EVENT_TYPES.length);
    EVENT_TYPES.forEach((type, index) => expect(topics[index]).toBe(`${type}.v1`));
  });

  it('ALL_TOPICS lists each topic once', () => {
    expect([...ALL_TOPICS].sort()).toEqual(Object.values(TOPICS).sort());
    expect(ALL_TOPICS).toHaveLength(EVENT_TYPES.length);
  });

  it('topicFor refuses an unknown type instead of inventing a topic', () => {
    expect(() => topicFor('lead.exploded' as never)).toThrow(/lead\.exploded/);
  });

  it('names the dead-letter topic after the consumer group', () => {
    expect(deadLetterTopicFor('scoring')).toBe('scoring.dlq.v1');
    expect(() => deadLetterTopicFor('')).toThrow(/dead-letter/);
    expect(() => deadLetterTopicFor('bad group')).toThrow(/dead-letter/);
  });
});

describe('lanes', () => {
  it('gives every topic a bulk twin before its version suffix, in the bulk lane', () => {
    expect(bulkTopicOf(TOPICS.leadReceived)).toBe('lead.received.bulk.v1');
    expect(bulkTopicOf('scoring.dlq.v12')).toBe('scoring.dlq.bulk.v12');
    for (const topic of ALL_TOPICS) {
      expect(laneOfTopic(topic)).toBe('live');
      expect(laneOfTopic(bulkTopicOf(topic))).toBe('bulk');
    }
  });

  it('topicFor gives the bulk twin in the bulk lane', () => {
    for (const type of EVENT_TYPES) expect(topicFor(type, 'bulk')).toBe(bulkTopicOf(topicFor(type)));
    expect(topicFor('lead.received', 'bulk')).toBe('lead.received.bulk.v1');
    expect(topicFor('lead.received', 'live')).toBe('lead.received.v1');
    expect(() => topicFor('lead.exploded' as never, 'bulk')).toThrow(/lead\.exploded/);
  });

  it('ALL_LANE_TOPICS lists each topic of both lanes once', () => {
    expect(new Set(ALL_LANE_TOPICS).size).toBe(2 * ALL_TOPICS.length);
    expect(ALL_LANE_TOPICS.filter((topic) => laneOfTopic(topic) === 'bulk')).toHaveLength(ALL_TOPICS.length);
  });

  it('refuses a topic without a version or already bulk, naming it', () => {
    expect(() => bulkTopicOf('lead.received')).toThrow(/"lead\.received" has no bulk twin.*\.v1/);
    expect(() => bulkTopicOf('lead.received.bulk.v1')).toThrow(/already a bulk topic/);
    expect(() => bulkTopicOf('bad topic.v1')).toThrow(/no bulk twin/);
    expect(() => bulkTopicOf(`${'a'.repeat(246)}.v1`)).toThrow(/no bulk twin/);
  });
});
