// The first-run page (#/setup/<token>): the person holding the link the server logged creates the
// organisation (or adopts the demo one) and their own admin account, then is logged in. The server
// decides everything (src/console/admin/setup-routes.ts); this page checks only what saves a trip.
import { z } from 'zod';
import { h } from '../../../channels/web/widget/client/dom.js';
import { ApiError, loginSchema } from './api.js';
import type { AdminView } from './admin/page.js';
import { FieldProblems, formField, passwordPolicyText, type FormField } from './form-fields.js';

export type SetupView = Pick<AdminView, 't' | 'show' | 'notify' | 'call'>;
export type LoggedInUser = z.infer<typeof loginSchema>['user'];

// The length rule only: the full policy (common and repeated passwords) is the server's.
const MIN_PASSWORD_LENGTH = 12;
const setupInfoSchema = z.object({
  languages: z.array(z.object({ code: z.string(), nativeName: z.string(), draft: z.boolean().default(false) })),
  demoOrganisation: z.object({ name: z.string() }).nullable(),
});
const setupDoneSchema = z.object({ organisation: z.object({ id: z.string(), name: z.string() }), user: z.object({ id: z.string() }) });

const field = (id: string, label: string, control: FormField['control'], hint?: string) => formField(id, label, control, hint);

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** The setup page; `loggedIn` takes over once the new admin's session exists. */
export async function setupView(view: SetupView, token: string, loggedIn: (user: LoggedInUser) => void): Promise<void> {
  const { t } = view;
  let info: z.infer<typeof setupInfoSchema>;
  try {
    info = await view.call(setupInfoSchema, 'GET', '/setup');
  } catch (error) {
    const text = error instanceof ApiError && error.status === 410 ? t('setup.done') : t('setup.error.generic');
    view.show(t('setup.title'), h('p', {}, text), h('p', {}, h('a', { href: '#/' }, t('setup.to_login'))));
    return;
  }

  const kind = field('setup-org-kind', t('setup.organisation_kind'), h('select', {}));
  kind.control.append(h('option', { value: 'new' }, t('setup.choice_new')));
  if (info.demoOrganisation) kind.control.append(h('option', { value: 'demo' }, t('setup.choice_demo', { name: info.demoOrganisation.name })));
  const name = field('setup-org-name', t('setup.name'), h('input', { type: 'text', maxlength: '120', required: true, autocomplete: 'organization' }));
  const language = field('setup-org-language', t('setup.default_language'), h('select', {}));
  for (const item of info.languages) {
    // The default language an organisation starts with: a draft translation says so.
    language.control.append(
      h('option', { value: item.code, lang: item.code }, item.draft ? t('admin.language_draft', { name: item.nativeName }) : item.nativeName),
    );
  }
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zones = h('datalist', { id: 'setup-time-zones' });
  for (const zone of (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [])
    zones.append(h('option', { value: zone }));
  const timeZone = field(
    'setup-org-time-zone',
    t('setup.time_zone'),
    h('input', { type: 'text', list: 'setup-time-zones', autocomplete: 'off', spellcheck: 'false', value: browserZone }),
    t('setup.time_zone_hint'),
  );
  const newOrganisation = h('div', {}, name.row, language.row, timeZone.row, zones);
  const demoHint = h('p', { class: 'hint', hidden: true }, t('setup.demo_hint'));
  kind.control.addEventListener('change', () => {
    newOrganisation.hidden = kind.control.value === 'demo';
    demoHint.hidden = kind.control.value !== 'demo';
  });

  const email = field('setup-email', t('setup.email'), h('input', { type: 'email', maxlength: '254', required: true, autocomplete: 'username' }));
  const displayName = field(
    'setup-display-name',
    t('setup.display_name'),
    h('input', { type: 'text', maxlength: '200', required: true, autocomplete: 'name' }),
  );
  const password = field(
    'setup-password',
    t('setup.password'),
    h('input', { type: 'password', minlength: String(MIN_PASSWORD_LENGTH), required: true, autocomplete: 'new-password' }),
    t('setup.password_hint'),
  );
  const confirm = field('setup-password-confirm', t('setup.password_confirm'), h('input', { type: 'password', required: true, autocomplete: 'new-password' }));

  const summary = h('p', { class: 'error', role: 'alert' });
  const problems = new FieldProblems();
  const markProblem = (item: FormField, key: string, text = t(`setup.problem.${key}`)) => problems.mark(item, text);
  const passwordProblem = (problem: string | undefined) =>
    passwordPolicyText(t, problem, 'setup.problem.weak_password', { min: MIN_PASSWORD_LENGTH, max: 1024 });
  /** What the browser can tell before asking the server; the first field with a problem gets focus. */
  const check = (): boolean => {
    const creating = kind.control.value === 'new';
    if (creating && !name.control.value.trim()) markProblem(name, 'required');
    if (creating && !validTimeZone(timeZone.control.value.trim())) markProblem(timeZone, 'time_zone');
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.control.value.trim())) markProblem(email, 'email');
    if (!displayName.control.value.trim()) markProblem(displayName, 'required');
    if ([...password.control.value].length < MIN_PASSWORD_LENGTH) markProblem(password, 'password_short', passwordProblem('too_short'));
    else if (password.control.value !== confirm.control.value) markProblem(confirm, 'password_mismatch');
    return problems.focusFirst();
  };

  const submit = h('button', { type: 'submit', class: 'primary' }, t('setup.submit'));
  const form = h(
    'form',
    { class: 'login', novalidate: true },
    h('fieldset', {}, h('legend', {}, t('setup.organisation')), kind.row, demoHint, newOrganisation),
    h('fieldset', {}, h('legend', {}, t('setup.account')), email.row, displayName.row, password.row, confirm.row),
    summary,
    submit,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    problems.clear();
    summary.textContent = '';
    if (!check()) return;
    const organisation =
      kind.control.value === 'demo'
        ? { kind: 'demo' as const }
        : { kind: 'new' as const, name: name.control.value.trim(), defaultLanguage: language.control.value, timeZone: timeZone.control.value.trim() };
    const admin = { email: email.control.value.trim(), displayName: displayName.control.value.trim(), password: password.control.value };
    submit.disabled = true;
    view.notify(t('setup.working'));
    void (async () => {
      try {
        await view.call(setupDoneSchema, 'POST', '/setup', { token, organisation, admin });
      } catch (error) {
        submit.disabled = false;
        view.notify('');
        const reason = error instanceof ApiError ? error.reason : 'generic';
        if (reason === 'weak_password') markProblem(password, 'weak_password', passwordProblem(error instanceof ApiError ? error.problem : undefined));
        const key = `setup.error.${reason}`;
        summary.textContent = t(key) === key ? t('setup.error.generic') : t(key);
        (problems.marked[0]?.control ?? submit).focus();
        return;
      }
      try {
        const session = await view.call(loginSchema, 'POST', '/login', { email: admin.email, password: admin.password });
        view.notify(t('setup.created'));
        loggedIn(session.user);
      } catch {
        // The accounts exist: the ordinary login page is the way on.
        view.show(t('setup.title'), h('p', {}, t('setup.login_failed')), h('p', {}, h('a', { href: '#/' }, t('setup.to_login'))));
      }
    })();
  });

  view.show(t('setup.title'), h('p', {}, t('setup.intro')), form);
}
