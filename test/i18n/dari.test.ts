import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalisation } from '../../src/i18n/index.js';
import { projectRoot } from '../support/engine.js';

// Dari (prs) is a language of its own since issue 17: Afghans asked for by their browser or Telegram
// as fa-AF read Dari, Iranians (fa-IR) read Persian, and a text Dari lacks falls back to Persian.
describe('Dari and Persian', () => {
  const localisation = createLocalisation(join(projectRoot, 'locales'));

  it.each([['prs'], ['fa-AF'], ['prs-AF']])('a person who prefers %s is served in Dari', async (preferred) => {
    expect((await localisation).choose([preferred], 'en')).toBe('prs');
  });

  it.each([['fa'], ['fa-IR']])('a person who prefers %s is served in Persian', async (preferred) => {
    expect((await localisation).choose([preferred], 'en')).toBe('fa');
  });

  it('ships Dari as a right-to-left language of its own, with its own texts', async () => {
    const { locales, translatorFor } = await localisation;
    expect(locales).toContainEqual(expect.objectContaining({ code: 'prs', nativeName: 'دری', dir: 'rtl' }));
    expect(translatorFor('prs')('bot:intake.consent')).not.toBe(translatorFor('fa')('bot:intake.consent'));
  });
});
