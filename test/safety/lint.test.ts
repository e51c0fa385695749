// The lint a safeguarding lead relies on (`npm run flows:check`), on small lexicons written here:
// each rule is seen to report what it should, in words a lexicon author can act on.
import { describe, expect, it } from 'vitest';
import type { LexiconFile } from '../../src/safety/lexicon-schema.js';
import { hostCountryLanguages, lintLexicons } from '../../src/safety/lint.js';
import { safetyCategories } from '../../src/safety/types.js';

const everyCategory = Object.fromEntries(safetyCategories.map((category) => [category, [`${category} danger words`]]));

function file(language: string, content: Partial<LexiconFile> = {}) {
  const lexicon: LexiconFile = { language, terms: {}, categories: everyCategory, return_safety: ['is it safe to go back'], exclusions: [], ...content };
  return { file: `flows/safety/${language}.yaml`, lexicon };
}
const hosts = hostCountryLanguages.map((language) => file(language));
const messages = (...loaded: ReturnType<typeof file>[]) => lintLexicons([...loaded, ...hosts], ['en']).map((issue) => issue.message);

describe('the safety lexicon lint', () => {
  it('passes a complete file', () => {
    expect(messages(file('en'))).toEqual([]);
  });

  it('asks for every category and return questions in a client language, and a file for every language', () => {
    expect(messages(file('en', { categories: { ...everyCategory, medical: [] }, return_safety: [] }))).toEqual([
      'categories.medical: no entries (every category is needed in every client language)',
      'return_safety: no entries (questions about danger back home must not raise an alarm)',
    ]);
    expect(lintLexicons(hosts, ['en']).map((issue) => issue.message)).toEqual(['missing: every client and host-country language needs a safety lexicon']);
  });

  it('refuses a short entry unless it says why, and holds the parts of "&" to their own rule', () => {
    expect(
      messages(
        file('en', { categories: { ...everyCategory, violence: ['hit me', { match: 'hits me', short_ok: 'always about the person writing' }, 'son & kill'] } }),
      ),
    ).toEqual([
      'categories.violence[0] "hit me": too short to be safe, its words have 5 letters (at least 6 needed); lengthen it or give short_ok with the reason',
      'categories.violence[2] "son & kill": too short to be safe, its parts have 7 letters together (at least 9 needed for "&"); lengthen it or give short_ok with the reason',
    ]);
  });

  it('names an unknown term, and a term no entry uses', () => {
    expect(
      messages(
        file('en', {
          terms: { child: 'son|daughter', unused: 'nobody|here' },
          categories: { ...everyCategory, child_at_risk: ['@child & missing', '@kid & alone'] },
        }),
      ),
    ).toEqual(['categories.child_at_risk[1] "@kid & alone": uses "@kid", which is not in the file\'s terms', 'terms.unused: never used in an entry']);
  });
});
