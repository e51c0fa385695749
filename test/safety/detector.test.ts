// The safety matcher on small lexicons written here, so each rule of the pattern language
// (flows/safety/README.md) is seen to hold and to fail where it should; then the shipped lexicons on
// a few cross-language cases the issue names.
import { describe, expect, it } from 'vitest';
import { compileSafetyLexicons } from '../../src/safety/detector.js';
import type { LexiconFile } from '../../src/safety/lexicon-schema.js';
import { entryTooShort, parseEntry, parsePattern, tooShort } from '../../src/safety/pattern.js';
import { shippedSafetyDetector } from '../support/engine.js';

function lexicon(language: string, content: Partial<Pick<LexiconFile, 'terms' | 'categories' | 'return_safety' | 'exclusions'>>): LexiconFile {
  return {
    language,
    terms: content.terms ?? {},
    categories: content.categories ?? {},
    return_safety: content.return_safety ?? [],
    exclusions: content.exclusions ?? [],
  };
}

describe('the pattern language', () => {
  const detector = compileSafetyLexicons([
    lexicon('en', {
      categories: {
        suicide: ['kill* myself', 'want to die'],
        trafficking: ['took ... passport', 'locked ...5 room'],
        child_at_risk: ['i am {12-17} ... alone'],
        violence: ['husband beat*|hit* me'],
      },
      return_safety: ['is it safe to go back'],
      exclusions: ['dying to see'],
    }),
    lexicon('it', { categories: { suicide: ['voglio =uccidermi', '=uccido me stesso'] } }),
  ]);
  const heard = (text: string) => detector.detect(text)?.category;

  it('hears an entry inside a longer sentence, whatever the case, accents or invisible characters', () => {
    expect(heard('please, I really want to KILL MYSELF tonight')).toBe('suicide');
    expect(heard('i want to k\u200bill my\u00adself')).toBe('suicide');
    expect(heard('i want to live')).toBeUndefined();
  });

  it("a stem takes the word's endings; a word of 6 letters or more one misspelling; a shorter one none", () => {
    expect(heard('i will be killing myself')).toBe('suicide');
    expect(heard('i will kill mysef')).toBe('suicide');
    expect(heard('my husband hits me')).toBe('violence');
    expect(heard('my husbnd hits me')).toBe('violence');
    expect(heard('i wnt to die')).toBeUndefined();
  });

  it('"..." lets up to 3 words stand between; "...5" up to 5', () => {
    expect(heard('they took my old green passport')).toBe('trafficking');
    expect(heard('they took my wallet and my passport')).toBeUndefined();
    expect(heard('they locked me in the small room')).toBe('trafficking');
    expect(heard('they locked me and my sister in the small back room')).toBeUndefined();
  });

  it('one letter that makes another word is no misspelling: Arabic script under 8 letters, a Turkish negation, a Tigrinya syllable', () => {
    const strict = compileSafetyLexicons([
      lexicon('ar', { categories: { suicide: ['*انتحار'] } }),
      lexicon('tr', { categories: { suicide: ['yaşamak istemiyorum'] } }),
      lexicon('ti', { categories: { threat_to_life: ['ክቐትለኒ ደልዩ'] } }),
    ]);
    expect(strict.detect('بفكر بالانتحار')?.category).toBe('suicide');
    expect(strict.detect('تعبت من الانتظار')).toBeUndefined();
    expect(strict.detect('artık yaşamak istemiyorum')?.category).toBe('suicide');
    expect(strict.detect('yaşamak istiyorum')).toBeUndefined();
    expect(strict.detect('ክቐትለኒ ደልዩ')?.category).toBe('threat_to_life');
    expect(strict.detect('ይቐትለኒ ደልዩ')).toBeUndefined();
  });

  it('"=word" takes no misspelling, so one changed letter that changes the person is not heard', () => {
    expect(heard('voglio uccidermi')).toBe('suicide');
    expect(heard('voglio ucciderti')).toBeUndefined();
    expect(heard('uccido me stesso')).toBe('suicide');
    expect(heard('uccide me stesso')).toBeUndefined();
  });

  it('"{12-17}" is a number in the range, in any script\'s digits', () => {
    expect(heard('i am 15 and i am alone')).toBe('child_at_risk');
    expect(heard('i am ١٥ and alone')).toBe('child_at_risk');
    expect(heard('i am 19 and alone')).toBeUndefined();
    expect(heard('i am 150 and alone')).toBeUndefined();
  });

  it('an exclusion or a return question covers its words; an alarm outside them still counts', () => {
    expect(heard('i am dying to see my kids')).toBeUndefined();
    expect(detector.asksAboutSafetyOfReturn('is it safe to go back to syria')).toBe(true);
    expect(heard('is it safe to go back to syria')).toBeUndefined();
    expect(heard('my husband beats me, is it safe to go back?')).toBe('violence');
    expect(detector.asksAboutSafetyOfReturn('my husband beats me, is it safe to go back?')).toBe(false);
  });

  it('a return question of the form "a & b" needs both parts: one alone ("What is voluntary return?") is no question', () => {
    const returns = compileSafetyLexicons([lexicon('en', { return_safety: ['(is it safe|is it dangerous) & (go back|return*)'] })]);
    expect(returns.asksAboutSafetyOfReturn('is it safe for me to return to kabul')).toBe(true);
    expect(returns.asksAboutSafetyOfReturn('What is voluntary return?')).toBe(false);
    expect(returns.asksAboutSafetyOfReturn('is it safe to keep my papers here')).toBe(false);
  });

  it('"@term" stands for the file\'s named words; "a & b" hears both parts near each other, in any order', () => {
    const stories = compileSafetyLexicons([
      lexicon('en', {
        terms: { child: 'son|daughter|(my little one)', missing: '(not come home)|(didnt come home)|missing' },
        categories: { child_at_risk: ['@child & @missing'], medical: ['pregnant & bleed*|blood'] },
        exclusions: ['passport is|went|got missing'],
      }),
    ]);
    const heardIn = (text: string) => stories.detect(text)?.category;
    expect(heardIn('my daughter went to school this morning, her phone is off')).toBeUndefined();
    expect(heardIn('my daughter went to school this morning and didnt come home, her phone is off')).toBe('child_at_risk');
    expect(heardIn('missing since yesterday is my little one')).toBe('child_at_risk');
    expect(heardIn('she is 7 months pregnant and since an hour there is a lot of blood')).toBe('medical');
    // Too far apart (more than conjunctionWindow, 24 words, from first to last), or one word taken by an exclusion.
    expect(heardIn(`my son ${'and then we waited for the bus for a long time in the rain '.repeat(2)} missing`)).toBeUndefined();
    expect(heardIn('my son says his passport went missing')).toBeUndefined();
    expect(heardIn('my son is missing and his passport too')).toBe('child_at_risk');
  });

  it('refuses a malformed entry with a reason a lexicon author can act on', () => {
    expect(parsePattern('... passport')).toEqual({ error: 'cannot start with "..."' });
    expect(parsePattern('took ...9 passport')).toEqual({ error: '"...9": a gap of 1 to 6 words' });
    expect(parsePattern('i am {17-12}')).toEqual({ error: '"{17-12}": the range runs from the smaller number to the larger' });
    expect(parsePattern('=kill*')).toEqual({ error: '"=kill*": "=" takes a whole word, without "*"' });
    const parsed = (source: string) => {
      const result = parsePattern(source);
      if ('error' in result) throw new Error(result.error);
      return result;
    };
    expect(parseEntry('@kid & missing', {})).toEqual({ error: 'uses "@kid", which is not in the file\'s terms' });
    expect(parseEntry('@a & missing', { a: '@b', b: '@a' })).toEqual({ error: 'its terms refer to each other in a circle (or more than 4 deep)' });
    expect(parseEntry('a & b & c & d')).toEqual({ error: 'has more than 3 parts joined by "&": split it' });
    const entry = (source: string) => {
      const result = parseEntry(source);
      if ('error' in result) throw new Error(result.error);
      return result;
    };
    expect(entryTooShort(entry('son & missing'))).toBeUndefined();
    expect(entryTooShort(entry('son & kill'))).toBe('its parts have 7 letters together (at least 9 needed for "&")');
    expect(entryTooShort(entry('my & missing'))).toBe('its part 1 has 2 letters (at least 3 needed in each part of "&")');
    // A number counts as a short word: it never stands as an entry with a word or two of its own.
    expect(tooShort(parsed('i am {12-17}'))).toBe('its words have 5 letters (at least 6 needed)');
    expect(tooShort(parsed('{12-17} ... alone'))).toBeUndefined();
  });
});

describe('the shipped lexicons', () => {
  const detector = shippedSafetyDetector();

  it('hear danger in every language at once, whatever language the chat is in', () => {
    expect(detector.detect('I want to kill myself')).toMatchObject({ category: 'suicide', language: 'en' });
    expect(detector.detect('ich will mich umbringen')).toMatchObject({ category: 'suicide', language: 'de' });
    expect(detector.detect('меня бьют и заперли в комнате')?.category).toBeDefined();
  });

  it('take a question about danger in the country of return for no emergency', () => {
    expect(detector.detect('Is there any danger in going back to Syria?')).toBeUndefined();
    expect(detector.asksAboutSafetyOfReturn('Is there any danger in going back to Syria?')).toBe(true);
  });

  it('leave the FAQ and the programme buttons to the flow: a word of a return question alone is no question', () => {
    for (const text of ['What is voluntary return?', 'More about Return and reintegration support (Netherlands)', 'return', 'safe'])
      expect(detector.asksAboutSafetyOfReturn(text), text).toBe(false);
  });

  it('read a message in well under a millisecond on average', () => {
    // Not a timed gate (benchmarks measure speed): a guard against a matcher that became quadratic.
    const text = 'i have been waiting here for months and my phone is dead and nobody answers me '.repeat(12);
    const started = performance.now();
    for (let round = 0; round < 200; round += 1) detector.detect(text);
    expect((performance.now() - started) / 200).toBeLessThan(20);
  });
});
