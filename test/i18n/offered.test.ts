import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalisation } from '../../src/i18n/index.js';
import { hiddenLocales, offeredLocales } from '../../src/i18n/offered.js';
import type { LocaleInfo } from '../../src/i18n/types.js';
import { projectRoot } from '../support/engine.js';

// An organisation may hide draft translations (Settings, issue 17): what is left to offer, and
// where a person whose own language is hidden is served instead.
const locales: LocaleInfo[] = [
  { code: 'en', nativeName: 'English', dir: 'ltr' },
  { code: 'am', nativeName: 'አማርኛ', dir: 'ltr', draft: true },
  { code: 'fr', nativeName: 'Français', dir: 'ltr' },
  { code: 'prs', nativeName: 'دری', dir: 'rtl', draft: true },
];

describe('hiddenLocales and offeredLocales', () => {
  it('hides nothing unless the organisation hides drafts', () => {
    expect(hiddenLocales(locales, false)).toEqual([]);
    expect(offeredLocales(locales, [])).toBe(locales);
  });

  it('hides every draft language, keeping the order of the rest', () => {
    const hidden = hiddenLocales(locales, true);
    expect(hidden).toEqual(['am', 'prs']);
    expect(offeredLocales(locales, hidden).map((locale) => locale.code)).toEqual(['en', 'fr']);
  });

  it('never hides the base language, which ends every fallback chain', () => {
    expect(hiddenLocales([{ code: 'en', nativeName: 'English', dir: 'ltr', draft: true }], true)).toEqual([]);
  });
});

describe('choose with hidden languages', () => {
  const localisation = createLocalisation(join(projectRoot, 'locales'));

  it('marks the shipped draft languages, and English is reviewed', async () => {
    const { locales: shipped } = await localisation;
    expect(shipped.find((locale) => locale.code === 'en')?.draft).toBeUndefined();
    expect(shipped.find((locale) => locale.code === 'am')?.draft).toBe(true);
  });

  it('serves a hidden language down its fallback chain: Dari to Persian, then the next preference, then English', async () => {
    const { choose } = await localisation;
    expect(choose(['fa-AF'], 'en', ['prs'])).toBe('fa');
    expect(choose(['prs', 'fr'], 'en', ['prs', 'fa'])).toBe('fr');
    expect(choose(['am'], 'en', ['am'])).toBe('en');
  });

  it('falls back past a hidden default language to English', async () => {
    expect((await localisation).choose(['am'], 'ti', ['am', 'ti'])).toBe('en');
  });

  it('chooses as before when nothing is hidden', async () => {
    const { choose } = await localisation;
    expect(choose(['fa-AF'], 'en')).toBe('prs');
    expect(choose(['pt-BR'], 'en')).toBe('pt');
  });
});
