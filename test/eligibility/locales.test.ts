import { readFileSync } from 'node:fs';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/eligibility/catalogue.js';
import { catalogueKeys, findMissingKeys, type LocaleResource } from '../../src/eligibility/keys.js';

const LANGUAGES = ['en', 'ar'] as const;
const read = (lng: string): LocaleResource => JSON.parse(readFileSync(`locales/${lng}/eligibility.json`, 'utf8')) as LocaleResource;

const { programmes } = loadCatalogue('flows/programmes');
const keys = catalogueKeys(programmes);

describe('eligibility locale texts', () => {
  it.each(LANGUAGES)('every key the catalogue and evaluator use exists in %s', (lng) => {
    expect(findMissingKeys(keys, read(lng), lng)).toEqual([]);
  });

  it('treats a plural key as missing unless every form of the language exists', () => {
    const onlyEnglishForms = { reason: { x_one: 'a', x_other: 'b' } };
    expect(findMissingKeys(['eligibility:reason.x'], onlyEnglishForms, 'en')).toEqual([]);
    expect(findMissingKeys(['eligibility:reason.x'], onlyEnglishForms, 'ar')).toEqual(['eligibility:reason.x']);
  });

  it.each(LANGUAGES)('renders every key in %s with no placeholder or nesting left over', async (lng) => {
    const i18n = i18next.createInstance();
    await i18n.init({
      lng,
      ns: ['eligibility'],
      defaultNS: 'eligibility',
      resources: { [lng]: { eligibility: read(lng) } },
      interpolation: { escapeValue: false },
    });
    const params = { country: 'Germany', component: 'medical', cap: 4000, currency: 'EUR', amount: 3600, count: 2, nationality: 'AL' };
    for (const key of keys) {
      const text = i18n.t(key, params);
      expect(text, key).not.toMatch(/\{\{|\}\}|\$t\(|eligibility:/);
      expect(text.length, key).toBeGreaterThan(1);
    }
    const amount = new Intl.NumberFormat(lng).format(3600);
    expect(i18n.t('eligibility:estimate.up_to', params)).toBe(lng === 'en' ? `up to ${amount} euros` : `حتى ${amount} يورو`);
  });
});
