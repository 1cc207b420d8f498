// node tools/run-ts.mjs tools/dedupe-bench/src/compare-speed.ts [--seed N] [--people N]
// How long one compareLeads takes on the pairs the resolver really compares (leads sharing a key), with
// match profiles cached (the service compares one incoming lead with many candidates) and uncached.
import type { EnrichedLead } from '@leadstream/contracts';
import { DEFAULT_MATCH_RULES, blockingKeys, buildProfile, compareLeads, compareProfiles, exactKeys, type MatchProfile } from '@leadstream/domain-matching';
import { jaroWinkler } from '@skyra/jaro-winkler';
import { generateLabelledLeads } from './generate-leads';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

function time(label: string, count: number, run: () => void): void {
  run(); // warm up: let the JIT optimise before measuring
  run();
  const rounds = 3;
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let round = 0; round < rounds; round++) run();
  const used = process.cpuUsage(cpu);
  const nanos = Number(process.hrtime.bigint() - started) / rounds;
  const cpuNanos = ((used.user + used.system) * 1000) / rounds;
  process.stdout.write(
    `${label.padEnd(48)} ${(cpuNanos / count).toFixed(0).padStart(6)} ns CPU each, ${(nanos / count).toFixed(0).padStart(6)} ns wall (${count} in ${(nanos / 1e6).toFixed(0)} ms)\n`,
  );
}

function main(): void {
  const seed = argument('--seed', 12);
  const people = argument('--people', 20_000);
  const leads = generateLabelledLeads({ seed, people }).map((labelled) => labelled.lead);
  const index = new Map<string, EnrichedLead[]>();
  const pairs: [EnrichedLead, EnrichedLead][] = [];
  for (const lead of leads) {
    const seen = new Set<EnrichedLead>();
    for (const key of [...exactKeys(lead), ...blockingKeys(lead)]) {
      for (const known of index.get(key) ?? []) {
        if (!seen.has(known)) pairs.push([lead, known]);
        seen.add(known);
      }
      const known = index.get(key);
      if (known === undefined) index.set(key, [lead]);
      else known.push(lead);
    }
  }
  // Plus as many unrelated pairs, which the resolver meets less often but which are cheap to reject.
  const keyed = pairs.length;
  for (let index = 0; index < keyed; index++) pairs.push([leads[(index * 7919) % leads.length], leads[(index * 104_729) % leads.length]]);
  process.stdout.write(`compareLeads speed: seed ${seed}, ${leads.length} leads, ${pairs.length} pairs (half sharing a key)\n`);
  let merges = 0;
  time('compareLeads, profiles cached', pairs.length, () => {
    merges = 0;
    for (const [a, b] of pairs) if (compareLeads(a, b, DEFAULT_MATCH_RULES).verdict === 'merge') merges++;
  });
  const profiles = new Map<EnrichedLead, MatchProfile>(leads.map((lead) => [lead, buildProfile(lead)]));
  const profilePairs = pairs.map(([a, b]) => [profiles.get(a), profiles.get(b)] as [MatchProfile, MatchProfile]);
  time('compareProfiles (profiles built beforehand)', pairs.length, () => {
    for (const [a, b] of profilePairs) compareProfiles(a, b, DEFAULT_MATCH_RULES);
  });
  time('buildProfile (a candidate row from the database)', leads.length, () => {
    for (const lead of leads) buildProfile(lead);
  });
  time('exactKeys + blockingKeys (profile remembered)', leads.length, () => {
    for (const lead of leads) {
      exactKeys(lead);
      blockingKeys(lead);
    }
  });
  const names = leads.map((lead) => [...(lead.lastName ?? '').toLowerCase()]);
  time('@skyra/jaro-winkler on two family names', names.length - 1, () => {
    for (let index = 1; index < names.length; index++) jaroWinkler(names[index - 1], names[index]);
  });
  process.stdout.write(`(${merges} of the pairs are merges)\n`);
}

main();
