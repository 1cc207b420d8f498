import { ReadinessRegistry } from './readiness';

describe('ReadinessRegistry', () => {
  it('is ready when every check passes', async () => {
    const registry = new ReadinessRegistry();
    registry.register('database', async () => true);
    registry.register('kafka', () => undefined);
    expect(await registry.check()).toEqual({ ready: true, checks: { database: 'up', kafka: 'up' } });
  });

  it('names each failing check with its reason', async () => {
    const registry = new ReadinessRegistry();
    registry.register('database', async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5433');
    });
    registry.register('kafka', () => true);
    registry.register('consumer', () => false);
    expect(await registry.check()).toEqual({
      ready: false,
      checks: { database: 'down: connect ECONNREFUSED 127.0.0.1:5433', kafka: 'up', consumer: 'down: check failed' },
    });
  });

  it('stays ready for a check that passes with a note, and reports the note', async () => {
    const registry = new ReadinessRegistry();
    registry.register('database', () => true);
    registry.register('bootstrap-admin-key', async () => 'revoked at 2026-01-01T00:00:00.000Z');
    expect(await registry.check()).toEqual({ ready: true, checks: { database: 'up', 'bootstrap-admin-key': 'up: revoked at 2026-01-01T00:00:00.000Z' } });
  });

  it('does not hang on a check that never answers', async () => {
    const registry = new ReadinessRegistry(50);
    registry.register('database', () => new Promise<boolean>(() => undefined));
    const report = await registry.check();
    expect(report).toEqual({ ready: false, checks: { database: 'down: no answer within 50 ms' } });
  });
});
