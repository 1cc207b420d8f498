import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { deriveEventId, isUuid, LEADSTREAM_NAMESPACE, uuidV5 } from './event-ids';

// RFC 4122 section 4.3 done the plain way (a Hash object, bytes patched in a Buffer), to check the fast one against.
function referenceUuidV5(name: string, namespace: string): string {
  const digest = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  digest[6] = ((digest[6] as number) & 0x0f) | 0x50;
  digest[8] = ((digest[8] as number) & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const RECEIVED_ID = '3f2b8c1e-9a4d-4e6f-8b21-5c7d9e0f1a2b';

describe('uuidV5', () => {
  it('matches the RFC 4122 reference for www.example.com in the DNS namespace', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('equals the plain RFC 4122 computation for any name and namespace', () => {
    const names = ['', 'a', 'import:1:lead', 'ünïcødé 🦄', 'x'.repeat(10_000)];
    for (let i = 0; i < 500; i++) names.push(`${randomUUID()}:${i}:lead.received`, randomBytes(i % 97).toString('latin1'));
    for (const namespace of [LEADSTREAM_NAMESPACE, randomUUID(), '6BA7B810-9DAD-11D1-80B4-00C04FD430C8']) {
      for (const name of names) expect(uuidV5(name, namespace)).toBe(referenceUuidV5(name, namespace));
    }
  });

  it('refuses a namespace that is not a UUID, naming it', () => {
    expect(() => uuidV5('x', 'not-a-namespace')).toThrow('namespace "not-a-namespace" is not a UUID');
  });
});

describe('deriveEventId', () => {
  it('gives a retry of the same stage the same id', () => {
    expect(deriveEventId(RECEIVED_ID, 'enrichment')).toBe(deriveEventId(RECEIVED_ID, 'enrichment'));
  });

  it('gives different stages and different causes different ids', () => {
    const ids = new Set([
      deriveEventId(RECEIVED_ID, 'enrichment'),
      deriveEventId(RECEIVED_ID, 'scoring'),
      deriveEventId('3f2b8c1e-9a4d-4e6f-8b21-5c7d9e0f1a2c', 'enrichment'),
    ]);
    expect(ids.size).toBe(3);
  });

  it('produces a version 5 RFC 4122 UUID', () => {
    const id = deriveEventId(RECEIVED_ID, 'enrichment');
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('5');
    expect('89ab').toContain(id[19]);
  });

  it('is stable across releases (the event log relies on it)', () => {
    // Pinned: changing the namespace or the name format would duplicate every replayed event.
    expect(deriveEventId(RECEIVED_ID, 'enrichment')).toBe('bf18eacf-384a-5c52-a1fd-1af7175aa181');
  });

  it('refuses a cause id that is not a UUID or an empty stage', () => {
    expect(() => deriveEventId('not-a-uuid', 'enrichment')).toThrow(/causeEventId/);
    expect(() => deriveEventId(RECEIVED_ID, '')).toThrow(/stage/);
  });
});

describe('isUuid', () => {
  it.each([
    ['a random v4', '0b6f8c2a-1d3e-4f5a-9b7c-8d9e0f1a2b3c', true],
    ['upper case', '0B6F8C2A-1D3E-4F5A-9B7C-8D9E0F1A2B3C', false],
    ['no dashes', '0b6f8c2a1d3e4f5a9b7c8d9e0f1a2b3c', false],
    ['wrong variant', '0b6f8c2a-1d3e-4f5a-cb7c-8d9e0f1a2b3c', false],
    ['a number', 42, false],
  ])('%s -> %s', (_name, value, expected) => {
    expect(isUuid(value)).toBe(expected);
  });
});
