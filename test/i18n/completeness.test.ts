import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCompleteness } from '../../src/i18n/completeness.js';
import { createLocalisation } from '../../src/i18n/index.js';
import { projectRoot } from '../support/engine.js';

describe('locale completeness', () => {
  it('every shipped locale has every key, plural form and only the variables of the base locale', async () => {
    const localisation = await createLocalisation(join(projectRoot, 'locales'));
    const issues = checkCompleteness(
      localisation.resources,
      localisation.locales.map((locale) => locale.code),
      'en',
    );
    expect(issues.map((issue) => `${issue.locale}/${issue.namespace}: ${issue.key}: ${issue.message}`)).toEqual([]);
  });

  const base = { en: { bot: { hello: 'Hello {{name}}', items_one: '{{count}} item', items_other: '{{count}} items', nested: { bye: 'Bye' } } } };

  it('reports a missing key, an extra key, a missing namespace and a foreign variable', () => {
    const issues = checkCompleteness(
      {
        ...base,
        fr: { bot: { hello: 'Bonjour {{nom}}', items_one: '{{count}} objet', items_many: '{{count}} objets', items_other: '{{count}} objets', extra: 'x' } },
        ru: {},
      },
      ['en', 'fr', 'ru'],
      'en',
    );
    expect(issues.map((issue) => `${issue.locale} ${issue.key}: ${issue.message}`)).toEqual([
      'fr hello: uses {{nom}}, which the base text does not have',
      'fr nested.bye: missing',
      'fr extra: is not in the base locale',
      'ru *: ru/bot.json is missing',
    ]);
  });

  it('requires the plural forms each language needs: Arabic six, Russian four, French three', () => {
    const partial = { bot: { hello: 'x {{name}}', items_one: 'a', items_other: 'b', nested: { bye: 'c' } } };
    const issues = checkCompleteness({ ...base, ar: partial, ru: partial, fr: partial, tr: partial }, ['en', 'ar', 'ru', 'fr', 'tr'], 'en');
    const missing = (locale: string) =>
      issues
        .filter((issue) => issue.locale === locale)
        .map((issue) => issue.key)
        .sort();
    expect(missing('ar')).toEqual(['items_few', 'items_many', 'items_two', 'items_zero']);
    expect(missing('ru')).toEqual(['items_few', 'items_many']);
    expect(missing('fr')).toEqual(['items_many']);
    expect(missing('tr')).toEqual([]);
  });

  it('lets staff-only namespaces (the console) exist in fewer languages', () => {
    const issues = checkCompleteness({ en: { console: { a: 'A' } }, ar: {} }, ['en', 'ar'], 'en');
    expect(issues).toEqual([]);
  });
});
