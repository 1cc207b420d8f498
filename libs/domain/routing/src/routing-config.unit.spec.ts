import { DEMO_ROUTING_CONFIG, InvalidRoutingConfigError, validateRoutingConfig } from './routing-config';

function changed(change: (raw: Record<string, unknown> & { reps: Record<string, unknown>[] }) => void): unknown {
  const raw = JSON.parse(JSON.stringify(DEMO_ROUTING_CONFIG));
  change(raw);
  return raw;
}

describe('validateRoutingConfig', () => {
  it('accepts the demo configuration', () => {
    expect(validateRoutingConfig(changed(() => undefined))).toEqual(DEMO_ROUTING_CONFIG);
  });

  it.each([
    ['a missing version', (r: Record<string, unknown>) => delete r['version'], 'version'],
    ['reps not a list', (r: Record<string, unknown>) => (r['reps'] = 'ada'), 'reps'],
    ['a rep without id', (r: { reps: Record<string, unknown>[] }) => delete r.reps[1]?.['repId'], 'reps[1].repId'],
    ['a duplicate rep', (r: { reps: Record<string, unknown>[] }) => r.reps[2] && (r.reps[2]['repId'] = 'rep-ada'), 'reps[2].repId'],
    ['active as text', (r: { reps: Record<string, unknown>[] }) => r.reps[0] && (r.reps[0]['active'] = 'yes'), 'reps[0].active'],
    ['an unknown grade', (r: Record<string, unknown>) => (r['minGradeForRep'] = 'E'), 'minGradeForRep'],
    ['an empty queue id', (r: Record<string, unknown>) => (r['nurtureQueueId'] = ' '), 'nurtureQueueId'],
    ['a misspelt key', (r: Record<string, unknown>) => (r['defaultQueue'] = 'x'), 'defaultQueue'],
  ])('rejects %s, naming %s', (_name, change, path) => {
    const attempt = () => validateRoutingConfig(changed(change as never));
    expect(attempt).toThrow(InvalidRoutingConfigError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'ROUTING.INVALID_CONFIG', path }));
    expect(attempt).toThrow(new RegExp(`^${path.replace(/[[\].]/g, '\\$&')} `));
  });
});
