import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandNames } from '../../src/channels/telegram/update.js';
import { createLocalisation } from '../../src/i18n/index.js';
import { projectRoot } from '../support/engine.js';

/** Every key of a nested resource, as "a.b.c". */
function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keysOf(inner, prefix ? `${prefix}.${key}` : key));
}

describe('the Telegram texts', () => {
  it("exist in every shipped language itself (no silent English fallback), within Telegram's limits", async () => {
    const localisation = await createLocalisation(join(projectRoot, 'locales'));
    const keys = keysOf(JSON.parse(readFileSync(join(projectRoot, 'locales', 'en', 'telegram.json'), 'utf8')));
    expect(keys).toEqual(expect.arrayContaining([...commandNames.map((name) => `commands.${name}`), 'keyboard.talk_to_person', 'private_only']));
    for (const { code } of localisation.locales) {
      const missing = keys.filter((key) => !localisation.hasKey(code, `telegram:${key}`));
      expect(missing, code).toEqual([]);
      const t = localisation.translatorFor(code);
      for (const name of commandNames) expect(t(`telegram:commands.${name}`).length, `${code} ${name}`).toBeLessThanOrEqual(256);
      expect(t('telegram:private_only', { bot: '@Bot' }), code).toContain('@Bot');
    }
  });
});
