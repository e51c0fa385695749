// One password policy everywhere (src/console/auth/password-policy.ts): at least 12 characters, not
// a common password, not repeated characters or runs. The setup page's route and
// `npm run admin -- user:create` refuse a weak password with the rule that failed, in the words of
// locales/ (console:password_policy.*); the passwords Homeward generates pass the same policy.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatePassword } from '../../src/console/admin/user-accounts.js';
import { checkPassword, passwordProblems } from '../../src/console/auth/password-policy.js';
import { runAdmin } from '../../src/console/cli/admin.js';
import { createLocalisation } from '../../src/i18n/index.js';
import { captureCli } from '../support/cli.js';
import { readAnswer } from '../support/console.js';
import { projectRoot } from '../support/engine.js';
import { useTestApp } from '../support/app.js';

const weak = [
  { password: 'password1234', problem: 'common' },
  { password: 'aaaaaaaaaaaa', problem: 'repeated' },
  { password: 'abcdefghijkl', problem: 'repeated' },
  { password: 'qwertyuiop12', problem: 'common' },
  { password: 'tenchars!!', problem: 'too_short' },
  { password: 'x'.repeat(1025), problem: 'too_long' },
] as const;
const strong = 'kangaroo mustard lantern';

describe('the password policy', () => {
  it('refuses short, long, common and repeated passwords with their reason, and accepts a few unrelated words', () => {
    for (const { password, problem } of weak) expect(checkPassword(password), password.slice(0, 20)).toBe(problem);
    for (const password of [strong, 'four words in a row', 'Tr0ub4dor&3xyz']) expect(checkPassword(password), password).toBeNull();
  });

  it("refuses the person's own e-mail address as their password", () => {
    expect(checkPassword('ada.lovelace@example.org')).toBeNull();
    expect(checkPassword('ada.lovelace@example.org', ['ada.lovelace@example.org', 'Ada Lovelace'])).toBe('common');
  });

  it('passes every password Homeward generates (new users, resets)', () => {
    for (let i = 0; i < 10; i++) expect(checkPassword(generatePassword())).toBeNull();
  });

  it('has a text for every reason in every locale with the console namespace', async () => {
    const localisation = await createLocalisation(join(projectRoot, 'locales'));
    const consoleLocales = Object.keys(localisation.resources).filter((locale) => localisation.resources[locale]?.console !== undefined);
    expect(consoleLocales).toEqual(expect.arrayContaining(['en', 'de', 'fr', 'nl']));
    for (const locale of consoleLocales) {
      const texts = (localisation.resources[locale]?.console as { password_policy?: Record<string, unknown> } | undefined)?.password_policy;
      for (const problem of passwordProblems) expect(typeof texts?.[problem], `${locale} ${problem}`).toBe('string');
    }
  });
});

describe('POST /console/api/setup', () => {
  const app = useTestApp({ RETENTION_INTERVAL_MINUTES: '0' });
  const token = () => /#\/setup\/([A-Za-z0-9_-]+)$/.exec(app().setupUrl ?? '')?.[1] ?? '';
  const setup = async (password: string) =>
    readAnswer(
      await fetch(`${app().url}/console/api/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          token: token(),
          organisation: { kind: 'new', name: 'Password NGO', defaultLanguage: 'en', timeZone: 'Europe/Berlin' },
          admin: { email: 'first@example.org', displayName: 'First Admin', password },
        }),
      }),
    );

  it('refuses a weak password with 400 weak_password and the rule that failed, then accepts a strong one', { timeout: 60_000 }, async () => {
    for (const { password, problem } of weak) {
      const answer = await setup(password);
      expect(answer.status, problem).toBe(400);
      expect(answer.json).toMatchObject({ error: { reason: 'weak_password', problem } });
      expect(answer.text).not.toContain(password.slice(0, 12));
    }
    expect((await setup('first@example.org')).json).toMatchObject({ error: { reason: 'weak_password', problem: 'common' } });
    const created = await setup(strong);
    expect(created.status).toBe(201);
  });
});

describe('npm run admin -- user:create', () => {
  const env = { NODE_ENV: 'test', DATA_DIR: mkdtempSync(join(tmpdir(), 'homeward-password-')) };
  const create = (password: string) =>
    captureCli((io) => runAdmin(['user:create', '--org', 'pw-org', '--email', 'anna@example.org', '--password', password, '--role', 'admin'], env, io));

  it('refuses a weak password with the reason from locales/ (exit 2), and creates the user with a strong one', { timeout: 120_000 }, async () => {
    const localisation = await createLocalisation(join(projectRoot, 'locales'));
    const t = localisation.translatorFor('en');
    for (const { password, problem } of weak) {
      const run = await create(password);
      expect(run.code, problem).toBe(2);
      expect(run.stderr).toBe(`--password: ${t(`console:password_policy.${problem}`, { min: 12, max: 1024 })}\n`);
    }
    expect((await captureCli((io) => runAdmin(['org:create', '--name', 'PW', '--key', 'pw-org'], env, io))).code).toBe(0);
    const run = await create(strong);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/created admin anna@example.org/);
  });
});
