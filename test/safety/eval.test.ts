// The bar of issue 14 on the evaluation corpus (test/safety/corpus/): per language, at least 95% of
// the alarms heard and not one false alarm. Where a language is not there yet it is listed below
// with its measured figure, and its test runs as an expected failure: the gap stays visible, and
// the day a lexicon reaches the bar the expected failure fails, so the list must shrink with it.
// The floors stop a lexicon change from losing ground anywhere in the meantime.
import { describe, expect, it } from 'vitest';
import { shippedSafetyDetector } from '../support/engine.js';
import { corpusLanguages, loadCorpus } from './corpus/corpus.js';
import { evaluateLanguage, recallOf, requiredRecall } from './evaluate.js';

/** Languages below 95% recall today, with the recall measured when this list was last updated. */
const belowRecallBar: Partial<Record<(typeof corpusLanguages)[number], number>> = {};

/** Languages with a false alarm today (their calm sentences that still alarm are printed by `npm run safety:eval`). */
const withFalseAlarms = new Set<string>([]);

describe.each(corpusLanguages)('the safety lexicons on the %s corpus', (language) => {
  const result = evaluateLanguage(shippedSafetyDetector(), loadCorpus(language));
  const floor = belowRecallBar[language];

  if (floor !== undefined) {
    it(`hear no fewer alarms than when last measured (${(floor * 100).toFixed(1)}%)`, () => {
      expect(recallOf(result), JSON.stringify(result.misses, null, 1)).toBeGreaterThanOrEqual(floor);
    });
  }
  (floor === undefined ? it : it.fails)(`hear at least ${requiredRecall * 100}% of the alarms`, () => {
    expect(recallOf(result), JSON.stringify(result.misses, null, 1)).toBeGreaterThanOrEqual(requiredRecall);
  });
  (withFalseAlarms.has(language) ? it.fails : it)('raise no alarm on a calm sentence or a question about the country of return', () => {
    expect(result.falseAlarms).toEqual([]);
  });
});
