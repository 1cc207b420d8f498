// node tools/run-ts.mjs tools/dedupe-bench/src/quality.ts [--seed N] [--people N] [--verbose]
import { DEFAULT_MATCH_RULES } from '@leadstream/domain-matching';
import { evaluateQuality, type PairCounts } from './evaluate-quality';
import { generateLabelledLeads, type LabelledLead } from './generate-leads';

export const DEFAULT_QUALITY_SEED = 12;
export const DEFAULT_QUALITY_PEOPLE = 20_000;

function wholeNumber(name: string, text: string | undefined): number {
  if (text === undefined || !/^\d+$/.test(text)) throw new Error(`${name} must be a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}

function line(label: string, counts: PairCounts): string {
  const pct = (value: number): string => value.toFixed(4);
  return `${label.padEnd(22)} precision ${pct(counts.precision)}  recall ${pct(counts.recall)}  F1 ${pct(counts.f1)}  (pairs: ${counts.truePositives} right of ${counts.predicted} put together; ${counts.actual} true)`;
}

function main(): void {
  const args = process.argv.slice(2);
  let seed = DEFAULT_QUALITY_SEED;
  let people = DEFAULT_QUALITY_PEOPLE;
  let verbose = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--seed') seed = wholeNumber('--seed', args[++index]);
    else if (arg === '--people') people = wholeNumber('--people', args[++index]);
    else if (arg === '--verbose') verbose = true;
    else throw new Error(`unknown argument ${arg}; usage: [--seed N] [--people N] [--verbose]`);
  }
  const leads = generateLabelledLeads({ seed, people });
  const started = process.hrtime.bigint();
  const report = evaluateQuality(leads, DEFAULT_MATCH_RULES);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const out = process.stdout;
  out.write(`dedupe quality, match rules v${DEFAULT_MATCH_RULES.version}: seed ${seed}, ${report.people} people, ${report.leads} leads\n`);
  out.write(`${line('automatic merges', report.autoMerge)}\n`);
  out.write(`${line('merges + reviews', report.withReviews)}\n`);
  out.write(`review pairs proposed: ${report.reviewPairs} (${report.reviewPairsSamePerson} of them one person)\n`);
  out.write(`wrong automatic merges: ${report.falseMerges.length}\n`);
  out.write(`missed duplicates (not merged with the person's first lead) by corruption: ${JSON.stringify(report.missedByCorruption)}\n`);
  out.write(`comparisons: ${report.comparisons} (${(report.comparisons / report.leads).toFixed(2)} per lead, at most ${report.maxCandidatesForOneLead}); largest key: ${report.largestKey} leads; resolved in ${seconds.toFixed(2)} s\n`);
  out.write(`missed duplicates that shared no key with the person's first lead: ${report.missed.filter((miss) => !miss.sharedKey).length} of ${report.missed.length}\n`);
  if (verbose) {
    const show = (lead: LabelledLead): string =>
      `${lead.personId} ${lead.lead.firstName ?? '-'} ${lead.lead.lastName ?? '-'} <${lead.lead.email}> ${lead.lead.companyKey ?? '-'} ${lead.lead.phone ?? '-'} [${lead.corruptions.join(',')}]`;
    for (const wrong of report.falseMerges.slice(0, 30)) {
      out.write(`  wrong merge ${wrong.score.toFixed(3)} on ${wrong.on.join('+')}: ${show(wrong.left)}  ==  ${show(wrong.right)}\n`);
    }
    for (const miss of report.missed.slice(0, 40)) {
      const why = miss.comparison.features.map((feature) => `${feature.name}:${feature.similarity.toFixed(2)}/${feature.weight.toFixed(1)}`).join(' ');
      out.write(`  missed ${miss.sharedKey ? 'key' : 'NOKEY'} ${miss.comparison.score.toFixed(3)} ${why}: ${show(miss.left)}  ==  ${show(miss.right)}\n`);
    }
  }
}

main();
