// The corpus keeps its shape and its minimums as it grows (README.md in this folder).
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { corpusLanguages, loadCorpus, safetyCategories } from './corpus.js';

const fold = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

describe('safety corpus', () => {
  it('has a file for every client and host-country language, and no other', () => {
    const files = readdirSync(dirname(fileURLToPath(import.meta.url))).filter((name) => name.endsWith('.json'));
    expect(files.map((name) => name.replace(/\.json$/, '')).sort()).toEqual([...corpusLanguages].sort());
  });

  it.each(corpusLanguages)('%s: valid, named for its language, at least 18 alarms (every category twice), 18 calm, 4 return questions', (language) => {
    const corpus = loadCorpus(language);
    expect(corpus.language).toBe(language);
    expect(corpus.alarms.length).toBeGreaterThanOrEqual(18);
    expect(corpus.calm.length).toBeGreaterThanOrEqual(18);
    expect(corpus.returnSafety.length).toBeGreaterThanOrEqual(4);
    for (const category of safetyCategories) {
      expect(corpus.alarms.filter((alarm) => alarm.category === category).length, category).toBeGreaterThanOrEqual(2);
    }
  });

  it('says every sentence once, in one list of one file', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const language of corpusLanguages) {
      const corpus = loadCorpus(language);
      for (const [list, entries] of [
        ['alarms', corpus.alarms],
        ['calm', corpus.calm],
        ['returnSafety', corpus.returnSafety],
      ] as const) {
        for (const { text } of entries) {
          const where = `${language}.${list}`;
          const before = seen.get(fold(text));
          if (before) twice.push(`"${text}" in ${before} and ${where}`);
          seen.set(fold(text), where);
        }
      }
    }
    expect(twice).toEqual([]);
  });
});
