import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalisation, type Localisation } from '../../src/i18n/index.js';
import { projectRoot } from '../support/engine.js';

let localisation: Localisation;
beforeAll(async () => {
  localisation = await createLocalisation(join(projectRoot, 'locales'));
  localisation.i18n.addResourceBundle('en', 'test', { amount: 'Up to {{amount, number}} EUR for {{name}}' });
  localisation.i18n.addResourceBundle('ar', 'test', { amount: 'حتى {{amount, number}} يورو لـ {{name}}' });
});

describe('formatting interpolated values', () => {
  it("formats numbers with Intl in the reader's language", () => {
    expect(localisation.translatorFor('en')('test:amount', { amount: 3600, name: 'Amina' })).toBe('Up to 3,600 EUR for Amina');
  });

  it('isolates left-to-right values in right-to-left texts so they cannot scramble the sentence', () => {
    expect(localisation.translatorFor('ar')('test:amount', { amount: 3600, name: 'Amina' })).toBe(
      `حتى \u2068${new Intl.NumberFormat('ar').format(3600)}\u2069 يورو لـ \u2068Amina\u2069`,
    );
  });

  it('leaves variables that build a nested key alone', () => {
    // The shipped eligibility texts nest keys built from variables, e.g. $t(eligibility:component.{{component}}).
    expect(localisation.translatorFor('ar')('eligibility:explain.how_to_apply', { textKey: 'eligibility:programme.de_reag_garp.how_to_apply' })).not.toMatch(
      /\$t\(|how_to_apply/,
    );
  });

  it("names countries in the reader's language", () => {
    const t = localisation.translatorFor('ar');
    localisation.i18n.addResource('ar', 'test', 'country', 'أنت في {{code, country}}');
    expect(t('test:country', { code: 'DE' })).toBe('أنت في \u2068ألمانيا\u2069');
  });
});

describe('a message made of several texts (`lines`)', () => {
  beforeAll(() => {
    localisation.i18n.addResourceBundle('en', 'lines', { list: 'Found:\n{{lines}}', one: '• {{name}}', plain: 'the end', plain_child: 'the end, for a child' });
    localisation.i18n.addResourceBundle('ar', 'lines', { list: 'وجدت:\n{{lines}}', one: '• {{name}}', plain: 'النهاية' });
  });
  const list = (params: Record<string, unknown> = {}) => ({
    ...params,
    lines: [{ key: 'lines:one', params: { name: 'REAG/GARP' } }, { key: 'lines:plain' }],
  });

  it("renders each line in the reader's language, one per line", () => {
    expect(localisation.translatorFor('en')('lines:list', list())).toBe('Found:\n• REAG/GARP\nthe end');
  });

  it("gives every line the message's i18next context (a child's wording), and falls back where a line has none", () => {
    expect(localisation.translatorFor('en')('lines:list', list({ context: 'child' }))).toBe('Found:\n• REAG/GARP\nthe end, for a child');
  });

  it('isolates values inside a right-to-left line, not the joined lines again', () => {
    expect(localisation.translatorFor('ar')('lines:list', list())).toBe('وجدت:\n• \u2068REAG/GARP\u2069\nالنهاية');
  });
});
