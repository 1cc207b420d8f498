// Scoring engine throughput in isolation: scoreLead with DEMO_RULE_SET (fit, engagement, decay, caps) over
// generated enriched leads with 0-30 activities each. Leads are generated chunk by chunk with a fixed seed
// (the same seed, the same leads and scores), never held all at once; only scoreLead is timed, after a warm-up.
// The generator's own garbage is collected before each timed chunk: otherwise collecting it, not scoring,
// dominates the figure. The engine's garbage (its reasons, its scratch) stays in it.
//   node tools/run-ts.mjs libs/domain/scoring/bench/score-leads.bench.ts [leads] [seed]
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ActivityKind, EnrichedLead, Grade, Seniority } from '@leadstream/contracts';
import { seededRandom } from '@leadstream/testing';
import { DEMO_RULE_SET, qualify, scoreLead, type ScoredActivity } from '../src';

const LEADS = Number(process.argv[2] ?? 200_000);
const SEED = Number(process.argv[3] ?? 20_250_601);
const WARM_UP_LEADS = 20_000;
const CHUNK = 10_000;
const MAX_ACTIVITIES = 30;
const NOW = new Date('2025-06-01T12:00:00.000Z');
const DAY_MS = 86_400_000;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const random = seededRandom(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number): boolean => random() < p;

const TITLES: readonly [string, Seniority | undefined][] = [
  ['Chief Executive Officer', 'c-level'],
  ['Chief Revenue Officer', 'c-level'],
  ['VP of Sales', 'vp'],
  ['VP Marketing Operations', 'vp'],
  ['Director of Demand Generation', 'director'],
  ['Head of Growth', 'director'],
  ['Sales Operations Manager', 'manager'],
  ['Marketing Manager', 'manager'],
  ['Account Executive', 'individual-contributor'],
  ['Software Engineer', 'individual-contributor'],
  ['Student', undefined],
  ['Consultant', 'individual-contributor'],
];
const INDUSTRIES = ['Software', 'Financial Services', 'Manufacturing', 'Healthcare', 'Retail', 'Telecommunications', 'Insurance', 'Education', 'Consulting', 'Marketing & Advertising'];
const COUNTRIES = ['US', 'US', 'US', 'GB', 'DE', 'FR', 'CA', 'AU', 'NL', 'IN', 'BR', 'JP', 'KE', 'ES'];
const SOURCES = ['website', 'website', 'referral', 'webinar', 'paid-search', 'event', 'csv-import'];
const FREE_DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.com'];
const COMPETITORS = ['leadrival.example', 'scorely.example'];
const PAGES = ['/pricing', '/pricing/enterprise', '/blog/scoring-101', '/docs/getting-started', '/', '/careers', '/customers'];
// Weighted as activity streams are: many opens and visits, few meetings and unsubscribes.
const KINDS: readonly [ActivityKind, number][] = [
  ['email_opened', 40],
  ['page_visited', 25],
  ['email_clicked', 12],
  ['content_downloaded', 7],
  ['form_submitted', 5],
  ['webinar_attended', 5],
  ['meeting_booked', 4],
  ['unsubscribed', 2],
];
const KIND_WEIGHT = KINDS.reduce((sum, [, weight]) => sum + weight, 0);

function kind(): ActivityKind {
  let roll = random() * KIND_WEIGHT;
  for (const [name, weight] of KINDS) {
    roll -= weight;
    if (roll < 0) return name;
  }
  return 'email_opened';
}

let activitySerial = 0;
function activityId(): string {
  activitySerial += 1;
  return `0000000a-0000-4000-8000-${activitySerial.toString(16).padStart(12, '0')}`;
}

function lead(n: number): EnrichedLead {
  const [title, seniority] = pick(TITLES);
  const domain = chance(0.005) ? pick(COMPETITORS) : `company${n % 50_000}.example.com`;
  const free = chance(0.3);
  const withEmail = chance(0.95);
  const email = free ? `person${n}@${pick(FREE_DOMAINS)}` : `person${n}@${domain}`;
  const employees = Math.round(Math.exp(random() * Math.log(50_000)));
  return {
    ...(withEmail ? { email, emailDomain: email.slice(email.indexOf('@') + 1), isFreeEmail: free } : {}),
    ...(withEmail && !free ? { companyDomain: domain } : {}),
    firstName: 'Lead',
    lastName: `Number ${n}`,
    company: `Company ${n % 50_000}`,
    title,
    ...(seniority === undefined ? {} : { seniority }),
    ...(chance(0.4) ? { phone: '+14155550100' } : {}),
    ...(chance(0.95) ? { country: pick(COUNTRIES) } : {}),
    source: pick(SOURCES),
    ...(chance(0.7)
      ? { firmographics: { domain, industry: pick(INDUSTRIES), employeeCount: employees, ...(chance(0.8) ? { annualRevenue: employees * 200_000 } : {}) } }
      : {}),
  };
}

function activities(): ScoredActivity[] {
  const count = Math.floor(random() * (MAX_ACTIVITIES + 1));
  const list: ScoredActivity[] = [];
  for (let i = 0; i < count; i += 1) {
    const activityKind = kind();
    // Up to a year old; one in a hundred slightly in the future (a clock skew the engine must ignore).
    const age = chance(0.01) ? -random() * DAY_MS : random() * 365 * DAY_MS;
    const at = new Date(NOW.getTime() - age).toISOString();
    list.push(activityKind === 'page_visited' ? { activityId: activityId(), kind: activityKind, at, url: `https://leadstream.example${pick(PAGES)}` } : { activityId: activityId(), kind: activityKind, at });
  }
  return list;
}

function generate(count: number, first: number): { leads: EnrichedLead[]; activities: ScoredActivity[][] } {
  const leads: EnrichedLead[] = [];
  const lists: ScoredActivity[][] = [];
  for (let i = 0; i < count; i += 1) {
    leads.push(lead(first + i));
    lists.push(activities());
  }
  return { leads, activities: lists };
}

// Warm-up: let the JIT settle on the scorer before anything is timed.
{
  const { leads, activities: lists } = generate(WARM_UP_LEADS, -WARM_UP_LEADS);
  for (let i = 0; i < leads.length; i += 1) scoreLead(leads[i]!, DEMO_RULE_SET, lists[i]!, NOW);
}

const grades: Record<Grade, number> = { A: 0, B: 0, C: 0, D: 0 };
const buckets = new Map<number, number>();
const stages = { MQL: 0, SQL: 0 };
let scored = 0;
let activityTotal = 0;
let reasonTotal = 0;
let capped = 0;
let wallMs = 0;
let cpuMicros = 0;

while (scored < LEADS) {
  const size = Math.min(CHUNK, LEADS - scored);
  const { leads, activities: lists } = generate(size, scored);
  collectGarbage();
  const cpu = process.cpuUsage();
  const started = performance.now();
  // The tally is timed too (a few increments a lead): keeping every result for later would make the
  // collector copy 10,000 results per chunk, a cost of this harness and not of the engine.
  for (let i = 0; i < size; i += 1) {
    const result = scoreLead(leads[i]!, DEMO_RULE_SET, lists[i]!, NOW);
    grades[result.grade] += 1;
    const bucket = result.score >= 100 ? 100 : Math.floor(result.score / 10) * 10;
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
    const stage = qualify(result.score, DEMO_RULE_SET);
    if (stage !== undefined) stages[stage] += 1;
    reasonTotal += result.reasons.length;
    if (result.uncapped !== undefined) capped += 1;
  }
  wallMs += performance.now() - started;
  const used = process.cpuUsage(cpu);
  cpuMicros += used.user + used.system;
  for (const list of lists) activityTotal += list.length;
  scored += size;
}

const percent = (count: number): string => `${((100 * count) / scored).toFixed(1)}%`;
const perSecond = (ms: number): string => Math.round(scored / (ms / 1000)).toLocaleString('en-US');
console.log(`scoring engine, rule set ${DEMO_RULE_SET.version} (decay half-life ${DEMO_RULE_SET.decay?.halfLifeDays} days), seed ${SEED}`);
console.log(`  ${scored.toLocaleString('en-US')} leads, ${activityTotal.toLocaleString('en-US')} activities (${(activityTotal / scored).toFixed(1)} per lead, 0-${MAX_ACTIVITIES}), after ${WARM_UP_LEADS.toLocaleString('en-US')} warm-up leads`);
console.log(`  ${perSecond(wallMs)} leads/s wall clock (${wallMs.toFixed(0)} ms), ${perSecond(cpuMicros / 1000)} leads/s of CPU time (${(cpuMicros / 1000).toFixed(0)} ms)`);
console.log(`  ${(reasonTotal / scored).toFixed(2)} reasons per lead; total clamped for ${percent(capped)}`);
console.log(`  grades: ${(['A', 'B', 'C', 'D'] as const).map((grade) => `${grade} ${percent(grades[grade])}`).join(', ')}`);
console.log(`  first score's stage: MQL ${percent(stages.MQL)}, SQL ${percent(stages.SQL)}`);
console.log('  scores:');
for (const bucket of [...buckets.keys()].sort((a, b) => a - b)) {
  const count = buckets.get(bucket) ?? 0;
  const label = bucket === 100 ? '100' : `${bucket} to ${bucket + 9}`;
  console.log(`    ${label.padStart(10)}  ${percent(count).padStart(6)}  ${'#'.repeat(Math.round((60 * count) / scored))}`);
}
