// The safety evaluation: how much of the corpus (test/safety/corpus/) the shipped lexicons hear.
// One function for the test that holds the bar (eval.test.ts) and the report people read
// (`npm run safety:eval`), so the two cannot disagree.
import type { ExplainingSafetyDetector } from '../../src/safety/detector.js';
import type { SafetyCategory } from '../../src/safety/types.js';
import type { CorpusFile } from './corpus/corpus.js';

/** Recall at or above this, and not one false alarm, per language: the bar of issue 14. */
export const requiredRecall = 0.95;

export interface Miss {
  text: string;
  expected: SafetyCategory;
  /** What the detector said instead: another category, or nothing. */
  heard?: SafetyCategory;
}

export interface FalseAlarm {
  text: string;
  kind: 'calm' | 'returnSafety';
  category: SafetyCategory;
  entry: string;
  lexicon: string;
}

export interface LanguageResult {
  language: string;
  alarms: number;
  /** Alarms heard at all (any category): what decides whether the person gets help. */
  heard: number;
  /** Alarms heard in the category the corpus names (the help lines depend on it). */
  rightCategory: number;
  misses: Miss[];
  falseAlarms: FalseAlarm[];
  /** Return questions that raised an alarm are counted in falseAlarms; these were not recognised as one. */
  returnQuestionsNotRecognised: string[];
  byCategory: Partial<Record<SafetyCategory, { alarms: number; heard: number }>>;
}

export function recallOf(result: Pick<LanguageResult, 'alarms' | 'heard'>): number {
  return result.alarms === 0 ? 1 : result.heard / result.alarms;
}

/**
 * Plays one language's corpus through the detector.
 * @example const result = evaluateLanguage(shippedSafetyDetector(), loadCorpus('fa'));
 */
export function evaluateLanguage(detector: ExplainingSafetyDetector, corpus: CorpusFile): LanguageResult {
  const result: LanguageResult = {
    language: corpus.language,
    alarms: 0,
    heard: 0,
    rightCategory: 0,
    misses: [],
    falseAlarms: [],
    returnQuestionsNotRecognised: [],
    byCategory: {},
  };
  for (const alarm of corpus.alarms) {
    const heard = detector.read(alarm.text).alarm;
    const tally = (result.byCategory[alarm.category] ??= { alarms: 0, heard: 0 });
    result.alarms += 1;
    tally.alarms += 1;
    if (heard) {
      result.heard += 1;
      tally.heard += 1;
    }
    if (heard?.category === alarm.category) result.rightCategory += 1;
    else result.misses.push({ text: alarm.text, expected: alarm.category, ...(heard ? { heard: heard.category } : {}) });
  }
  const quiet = [
    ...corpus.calm.map((item) => ({ text: item.text, kind: 'calm' as const })),
    ...corpus.returnSafety.map((item) => ({ text: item.text, kind: 'returnSafety' as const })),
  ];
  for (const { text, kind } of quiet) {
    const reading = detector.read(text);
    if (reading.alarm) result.falseAlarms.push({ text, kind, category: reading.alarm.category, entry: reading.alarm.entry, lexicon: reading.alarm.language });
    else if (kind === 'returnSafety' && !reading.returnSafety) result.returnQuestionsNotRecognised.push(text);
  }
  return result;
}
