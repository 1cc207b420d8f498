import { DEFAULT_INBOX_RETENTION, readInboxRetention } from './inbox-pruner';

describe('readInboxRetention', () => {
  it('keeps inbox rows a week and prunes hourly unless told otherwise', () => {
    expect(readInboxRetention({})).toEqual(DEFAULT_INBOX_RETENTION);
    expect(DEFAULT_INBOX_RETENTION).toEqual({ retentionMs: 168 * 3_600_000, intervalMs: 3_600_000 });
  });

  it('reads hours and minutes from the environment', () => {
    expect(readInboxRetention({ STAGE_INBOX_RETENTION_HOURS: '24', STAGE_INBOX_PRUNE_INTERVAL_MINUTES: '5' })).toEqual({ retentionMs: 86_400_000, intervalMs: 300_000 });
  });

  it.each(['0', '-3', 'a week', 'NaN'])('refuses %p naming the variable', (value) => {
    expect(() => readInboxRetention({ STAGE_INBOX_RETENTION_HOURS: value })).toThrow(`STAGE_INBOX_RETENTION_HOURS must be a positive number, got '${value}'`);
  });
});
