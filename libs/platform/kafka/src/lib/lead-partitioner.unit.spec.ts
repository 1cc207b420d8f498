import { randomBytes, randomUUID } from 'node:crypto';
import { Partitioners, type PartitionerArgs } from 'kafkajs';
import { LeadPartitioner, murmur2, partitionForKey } from './lead-partitioner';

// kafkajs's own Long-based murmur2: the reference the fast one must equal, byte for byte.
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer | string) => number;

function metadata(count: number, leaderless: readonly number[] = []): PartitionerArgs['partitionMetadata'] {
  return Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 0,
    replicas: [0],
    isr: [0],
  }));
}

describe('murmur2', () => {
  it('equals kafkajs on lead ids', () => {
    for (let i = 0; i < 5_000; i++) {
      const key = randomUUID();
      expect(murmur2(key)).toBe(kafkajsMurmur2(key));
    }
  });

  it('equals kafkajs on random bytes of every length remainder, including high bytes', () => {
    for (let length = 0; length < 70; length++) {
      for (let round = 0; round < 40; round++) {
        const key = randomBytes(length);
        expect(murmur2(key)).toBe(kafkajsMurmur2(key));
      }
    }
    const allHigh = Buffer.alloc(13, 0xff);
    expect(murmur2(allHigh)).toBe(kafkajsMurmur2(allHigh));
  });

  it('hashes a string as its UTF-8 bytes', () => {
    for (const key of ['', 'a', 'ab', 'abc', 'ünïcødé lead', '🦄 lead 42', 'x'.repeat(1_001)]) {
      expect(murmur2(key)).toBe(kafkajsMurmur2(key));
      expect(murmur2(key)).toBe(murmur2(Buffer.from(key, 'utf8')));
    }
  });

  it('matches the Java client on its known vectors', () => {
    // Values from the Java client's UtilsTest.testMurmur2 (cases "21" and "foobar" are well known).
    expect(murmur2(Buffer.from('21'))).toBe(-973932308);
    expect(murmur2(Buffer.from('foobar'))).toBe(-790332482);
  });
});

describe('LeadPartitioner', () => {
  const ours = LeadPartitioner();
  const theirs = Partitioners.DefaultPartitioner();

  it('puts every keyed message on the partition kafkajs DefaultPartitioner chose', () => {
    for (const partitions of [1, 3, 12, 64]) {
      const partitionMetadata = metadata(partitions);
      for (let i = 0; i < 2_000; i++) {
        const message = { key: randomUUID(), value: 'x' };
        const expected = theirs({ topic: 'lead.received.v1', partitionMetadata, message });
        expect(ours({ topic: 'lead.received.v1', partitionMetadata, message })).toBe(expected);
        expect(partitionForKey(message.key, partitions)).toBe(expected);
      }
    }
  });

  it('keeps an explicit partition', () => {
    expect(ours({ topic: 't', partitionMetadata: metadata(12), message: { key: 'lead-1', value: 'x', partition: 7 } })).toBe(7);
  });

  it('spreads messages without a key round-robin over the partitions that have a leader', () => {
    const partitionMetadata = metadata(4, [2]);
    const chosen = Array.from({ length: 9 }, () => ours({ topic: 'unkeyed', partitionMetadata, message: { value: 'x' } }));
    expect(new Set(chosen)).toEqual(new Set([0, 1, 3]));
    for (let i = 3; i < chosen.length; i++) expect(chosen[i]).toBe(chosen[i - 3]);
  });
});
