import type { QualificationStage } from '@leadstream/contracts';
import { scenarioFor } from '@leadstream/testing';
import { DEMO_RULE_SET } from './demo-rule-set';
import { qualify, qualifyByPerson } from './score-lead';

// The history is the lead.qualified stages already emitted for the lead; the state is the latest of them.
type Stage = QualificationStage | undefined;
const evolve = (_state: Stage, stage: QualificationStage): Stage => stage;

describe('qualify (demo thresholds: MQL at 50, SQL at 85)', () => {
  const { given } = scenarioFor<number, Stage, Stage, QualificationStage>({
    initialState: undefined,
    evolve,
    decide: (score, stage) => qualify(score, DEMO_RULE_SET, stage),
  });

  it('given no stage, when the score stays below MQL, then nothing', () => {
    given([]).when(49.99).then(undefined);
  });

  it('given no stage, when the score reaches MQL exactly, then MQL', () => {
    given([]).when(50).then('MQL');
  });

  it('given MQL, when a rescore stays above MQL but below SQL, then nothing: MQL is emitted once', () => {
    given(['MQL']).when(84.99).then(undefined);
  });

  it('given MQL, when the score reaches SQL, then SQL', () => {
    given(['MQL']).when(85).then('SQL');
  });

  it('given no stage, when the score jumps past SQL, then straight to SQL', () => {
    given([]).when(95).then('SQL');
  });

  it('given SQL, when a rescore stays above SQL, then nothing', () => {
    given(['MQL', 'SQL']).when(100).then(undefined);
  });

  it('given SQL, when the score falls below MQL, then nothing: never downgraded', () => {
    given(['MQL', 'SQL']).when(10).then(undefined);
  });

  it('given MQL, when the score falls and rises again, then no second MQL', () => {
    given(['MQL']).when(10).then(undefined);
    given(['MQL']).when(60).then(undefined);
  });

  it('over a series of rescores, emits each stage once, at the rescore that crosses its threshold', () => {
    let stage: Stage;
    const emitted: [number, QualificationStage][] = [];
    for (const score of [10, 49, 55, 60, 40, 70, 90, 95, 20, 100]) {
      const next = qualify(score, DEMO_RULE_SET, stage);
      if (next !== undefined) {
        emitted.push([score, next]);
        stage = next;
      }
    }
    expect(emitted).toEqual([
      [55, 'MQL'],
      [90, 'SQL'],
    ]);
  });
});

describe('qualifyByPerson (budget, authority, need, timeline)', () => {
  const { given } = scenarioFor<'qualified', Stage, Stage, QualificationStage>({
    initialState: undefined,
    evolve,
    decide: (_qualified, stage) => qualifyByPerson(stage),
  });

  it('given no stage, when a person qualifies the lead, then SQL whatever its score', () => {
    given([]).when('qualified').then('SQL');
  });

  it('given MQL, when a person qualifies the lead, then SQL', () => {
    given(['MQL']).when('qualified').then('SQL');
  });

  it('given SQL (by score or by a person), when a person qualifies the lead again, then nothing', () => {
    given(['SQL']).when('qualified').then(undefined);
    given(['MQL', 'SQL']).when('qualified').then(undefined);
  });

  it('given a person made the lead SQL, when its score later crosses the thresholds, then scoring emits nothing more', () => {
    const stage = qualifyByPerson(undefined);
    expect(qualify(50, DEMO_RULE_SET, stage)).toBeUndefined();
    expect(qualify(100, DEMO_RULE_SET, stage)).toBeUndefined();
  });
});
