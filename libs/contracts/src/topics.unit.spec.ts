import { EVENT_TYPES } from './events';
import { ALL_TOPICS, TOPICS, deadLetterTopicFor, topicFor } from './topics';

describe('topics', () => {
  it('every event type has its own topic carrying the major version', () => {
    const topics = EVENT_TYPES.map(topicFor);
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
