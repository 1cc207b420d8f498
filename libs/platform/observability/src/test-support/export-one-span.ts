// Driven by telemetry.int.spec.ts in a child process: the OTLP exporter loads its HTTP agent with a
// dynamic import, which Jest's sandbox does not offer. Prints { exporting, traceId } as JSON.
import { startTelemetry } from '../telemetry';
import { withSpan } from '../trace-context';

async function main(): Promise<void> {
  const telemetry = startTelemetry(process.argv[2] ?? 'export-test');
  const traceId = await withSpan('score lead', undefined, (span) => span.spanContext().traceId);
  await telemetry.shutdown(); // flushes the batch processor
  process.stdout.write(JSON.stringify({ exporting: telemetry.exporting, traceId }) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
