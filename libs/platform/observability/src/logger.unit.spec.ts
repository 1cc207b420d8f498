import { createLogger } from './logger';
import { startTelemetry, type Telemetry } from './telemetry';
import { withSpan } from './trace-context';

function capture(level?: 'debug' | 'info' | 'warn' | 'error') {
  const lines: string[] = [];
  const logger = createLogger('scoring', { level, write: (line) => lines.push(line) });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records };
}

describe('JSON logger', () => {
  let telemetry: Telemetry;
  beforeAll(() => {
    telemetry = startTelemetry('logger-unit-test');
  });
  afterAll(() => telemetry.shutdown());

  it('writes one JSON object per line with time, level, service, msg and the fields', () => {
    const { logger, lines, records } = capture();
    logger.info('lead scored', { leadId: 'l-1', score: 42 });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    const [record] = records();
    expect(record).toMatchObject({ level: 'info', service: 'scoring', msg: 'lead scored', leadId: 'l-1', score: 42 });
    expect(new Date(record!['time'] as string).toISOString()).toBe(record!['time']);
  });

  it('drops lines below its level', () => {
    const { logger, records } = capture('warn');
    logger.debug('noise');
    logger.info('still noise');
    logger.warn('slow batch');
    logger.error('handler failed');
    expect(records().map((r) => r['level'])).toEqual(['warn', 'error']);
  });

  it('reads its level from LOG_LEVEL', () => {
    const previous = process.env['LOG_LEVEL'];
    process.env['LOG_LEVEL'] = 'debug';
    try {
      const { logger, records } = capture();
      logger.debug('visible');
      expect(records()).toHaveLength(1);
    } finally {
      if (previous === undefined) delete process.env['LOG_LEVEL'];
      else process.env['LOG_LEVEL'] = previous;
    }
  });

  it('carries the active trace and span ids', async () => {
    const { logger, records } = capture();
    const ids = await withSpan('handle batch', undefined, (span) => {
      logger.info('inside');
      return span.spanContext();
    });
    logger.info('outside');
    const [inside, outside] = records();
    expect(inside).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId });
    expect(outside).not.toHaveProperty('trace_id');
  });

  it("understands Nest's calling conventions (context last, stack before it)", () => {
    const { logger, records } = capture();
    logger.log('Mapped {/health/live, GET} route', 'RouterExplorer');
    const stack = new Error('boom').stack!;
    logger.error('Unhandled', stack, 'ExceptionsHandler');
    logger.error('Only a stack', stack);
    const [log, err, errStackOnly] = records();
    expect(log).toMatchObject({ level: 'info', msg: 'Mapped {/health/live, GET} route', context: 'RouterExplorer' });
    expect(err).toMatchObject({ level: 'error', context: 'ExceptionsHandler', stack });
    expect(errStackOnly).toMatchObject({ stack });
    expect(errStackOnly).not.toHaveProperty('context');
  });

  it('serialises errors and never lets fields overwrite level, time or msg', () => {
    const { logger, records } = capture();
    logger.error('publish failed', { err: new Error('timeout'), level: 'debug', msg: 'forged' });
    const [record] = records();
    expect(record).toMatchObject({ level: 'error', msg: 'publish failed', err: { name: 'Error', message: 'timeout' } });
  });

  it('survives circular fields and bigints', () => {
    const { logger, records } = capture();
    const loop: Record<string, unknown> = { name: 'loop' };
    loop['self'] = loop;
    logger.info('odd fields', { loop, offset: 10n });
    expect(records()[0]).toMatchObject({ offset: '10', loop: { name: 'loop', self: '[circular]' } });
  });

  it('child loggers add their fields to every line', () => {
    const { logger, records } = capture();
    logger.child({ consumer: 'scoring.lead-resolved' }).info('batch done', { size: 3 });
    expect(records()[0]).toMatchObject({ consumer: 'scoring.lead-resolved', size: 3, service: 'scoring' });
  });
});
