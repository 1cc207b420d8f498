import { BenchUsageError, DEFAULT_OPTIONS, parseBenchArgs } from './bench-options';

describe('parseBenchArgs', () => {
  it('given no arguments, runs the documented baseline: 10,000 leads, 64 in flight, no rate cap, 120 s', () => {
    expect(parseBenchArgs([])).toEqual({ leads: 10_000, concurrency: 64, rate: undefined, timeoutSeconds: 120, stackFile: '.data/stack.json', json: false, help: false });
  });

  it('accepts both --flag value and --flag=value', () => {
    expect(parseBenchArgs(['--leads', '500', '--concurrency=8', '--rate', '1000', '--timeout-s=30', '--stack', '/tmp/s.json', '--json'])).toEqual({
      ...DEFAULT_OPTIONS,
      leads: 500,
      concurrency: 8,
      rate: 1000,
      timeoutSeconds: 30,
      stackFile: '/tmp/s.json',
      json: true,
    });
  });

  it('allows a fractional rate and timeout but whole numbers of leads and requests in flight', () => {
    expect(parseBenchArgs(['--rate', '2.5', '--timeout-s', '0.5'])).toMatchObject({ rate: 2.5, timeoutSeconds: 0.5 });
    expect(() => parseBenchArgs(['--leads', '10.5'])).toThrow("--leads must be a positive integer, got '10.5'");
    expect(() => parseBenchArgs(['--concurrency', '1.5'])).toThrow("--concurrency must be a positive integer, got '1.5'");
  });

  it.each([
    [['--leads', 'abc'], "--leads must be a positive integer, got 'abc'"],
    [['--leads', '0'], "--leads must be a positive integer, got '0'"],
    [['--leads=-5'], "--leads must be a positive integer, got '-5'"],
    [['--rate', '0'], "--rate must be a positive number, got '0'"],
    [['--rate', '1e3'], "--rate must be a positive number, got '1e3'"],
    [['--timeout-s', ''], "--timeout-s must be a positive number, got ''"],
    [['--leads'], '--leads needs a value'],
    [['--leads', '--json'], '--leads needs a value'],
    [['--stack='], '--stack needs a file path'],
    [['--json=yes'], "--json takes no value, got '--json=yes'"],
  ])('given %j, refuses with a message naming the option: %s', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });

  it('refuses an unknown option and lists the known ones (a typo must not silently run the default)', () => {
    expect(() => parseBenchArgs(['--lead', '5'])).toThrow(/unknown option '--lead'; known options: --leads, --concurrency, --rate, --timeout-s, --stack, --json, --help/);
    expect(() => parseBenchArgs(['5000'])).toThrow("unknown option '5000'");
  });

  it('recognises --help and -h', () => {
    expect(parseBenchArgs(['--help']).help).toBe(true);
    expect(parseBenchArgs(['-h']).help).toBe(true);
  });
});
