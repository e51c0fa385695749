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
