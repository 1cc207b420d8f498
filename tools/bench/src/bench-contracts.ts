// Cost of the event contract check: `npm run bench:contracts -- [--events N]`. Every service runs
// parseEvent on each event it publishes (on the object) and on each event it consumes (from the JSON
// bytes), so this is per event per hop. Prints ns/event; asserts nothing.
import { parseEvent, type EventEnvelope } from '@leadstream/contracts';
import { performance } from 'node:perf_hooks';

/** A lead.received event as a CSV import publishes it, with every lead field set. */
function importedLead(index: number): EventEnvelope {
  const id = (n: number): string => `${n.toString(16).padStart(8, '0')}-4e2a-4b1c-8d3e-5f6a7b8c9d0e`;
  return {
    type: 'lead.received',
    version: 1,
    data: {
      lead: {
        email: `jane.doe${index}@example.com`,
        firstName: 'Jane',
        lastName: 'Doe',
        company: 'Acme Inc',
        title: 'VP Marketing',
        phone: '+1 555 0100',
        country: 'US',
        source: 'webinar',
        campaign: 'q4-launch',
      },
      channel: 'csv',
      importId: id(1),
      line: index + 2,
    },
    metadata: { eventId: id(index), leadId: id(index + 1), occurredAt: new Date(Date.UTC(2026, 10, 23, 9, 30)).toISOString(), correlationId: id(1), causationId: null },
  };
}

function nsPerEvent(inputs: readonly unknown[], rounds: number): number {
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    for (const input of inputs) parseEvent(input);
    best = Math.min(best, ((performance.now() - started) * 1e6) / inputs.length);
  }
  return best;
}

function main(argv: readonly string[]): number {
  const at = argv.indexOf('--events');
  const raw = at >= 0 ? argv[at + 1] : '200000';
  if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < 1) {
    console.error(`bench:contracts: --events must be a positive integer, got '${raw ?? ''}'\nusage: npm run bench:contracts -- [--events N]`);
    return 2;
  }
  const events = Array.from({ length: Number(raw) }, (_, index) => importedLead(index));
  const json = events.map((event) => Buffer.from(JSON.stringify(event)));
  nsPerEvent(events.slice(0, 10_000), 3); // warm up
  console.log(`parseEvent, lead.received as a CSV import publishes it; ${events.length.toLocaleString('en-US')} events, best of 5 rounds`);
  console.log(`  the event object (before publishing): ${nsPerEvent(events, 5).toFixed(0)} ns/event`);
  console.log(`  its JSON bytes (on consuming):        ${nsPerEvent(json, 5).toFixed(0)} ns/event`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
