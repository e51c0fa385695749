import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalisation } from '../../src/i18n/index.js';
import { projectRoot } from '../support/engine.js';

// Language tags as browsers and Telegram send them (issue 17, item 2): any case, and Telegram's
// plain "ku" for Kurdish of either kind, which is served in Kurmanji.
describe('choosing the language a tag asks for', () => {
  const localisation = createLocalisation(join(projectRoot, 'locales'));

  it.each([
    ['fa-AF', 'prs'],
    ['fa-af', 'prs'],
    ['FA-AF', 'prs'],
    ['PRS', 'prs'],
    ['fa-IR', 'fa'],
    ['FA', 'fa'],
    ['ku', 'kmr'],
    ['KU', 'kmr'],
    ['ku-TR', 'kmr'],
    ['kmr', 'kmr'],
    ['ckb', 'ckb'],
    ['ckb-IQ', 'ckb'],
    ['ckb-IR', 'ckb'],
    ['ckb-iq', 'ckb'],
  ])('%s is served in %s', async (tag, expected) => {
    expect((await localisation).choose([tag], 'en')).toBe(expected);
  });

  it('an unknown tag falls to the next preference, then to the fallback', async () => {
    expect((await localisation).choose(['xx-YY', 'KU'], 'en')).toBe('kmr');
    expect((await localisation).choose(['xx'], 'en')).toBe('en');
  });
});
