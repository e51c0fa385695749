// The "Change password" page (#/password), for any logged-in user: the current password, the new
// one twice. The server decides (src/console/auth/own-password-routes.ts); this page checks only
// what saves a trip, and says every refusal at the field it concerns.
import { z } from 'zod';
import { h } from '../../../channels/web/widget/client/dom.js';
import { ApiError } from './api.js';
import type { AdminView } from './admin/page.js';

export type PasswordPageView = Pick<AdminView, 't' | 'show' | 'notify' | 'call'>;

// The length rule only: the full policy (common and repeated passwords) is the server's.
const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1024;

/** A labelled password input with an optional hint and the line where its problem is said. */
function field(id: string, label: string, autocomplete: string, hint?: string) {
  const control = h('input', { id, type: 'password', name: id, autocomplete, required: true });
  const problem = h('p', { class: 'error', id: `${id}-problem`, hidden: true });
  control.setAttribute('aria-describedby', [hint ? `${id}-hint` : '', `${id}-problem`].filter(Boolean).join(' '));
  const row = h('div', {}, h('label', { for: id }, label), ...(hint ? [h('p', { id: `${id}-hint`, class: 'hint' }, hint)] : []), control, problem);
  return { control, row, problem };
}
type Field = ReturnType<typeof field>;

export function passwordView(view: PasswordPageView): void {
  const { t } = view;
  const current = field('password-current', t('password_change.current'), 'current-password');
  const next = field('password-new', t('password_change.new'), 'new-password', t('password_change.new_hint', { min: MIN_PASSWORD_LENGTH }));
  const confirm = field('password-confirm', t('password_change.confirm'), 'new-password');
  const summary = h('p', { class: 'error', role: 'alert' });
  const done = h('p', { role: 'status', class: 'done', hidden: true });

  const problems: Field[] = [];
  const clearProblems = () => {
    for (const item of problems.splice(0)) {
      item.control.removeAttribute('aria-invalid');
      item.problem.hidden = true;
      item.problem.textContent = '';
    }
    summary.textContent = '';
  };
  const markProblem = (item: Field, text: string) => {
    item.control.setAttribute('aria-invalid', 'true');
    item.problem.hidden = false;
    item.problem.textContent = text;
    problems.push(item);
  };
  /** The rule the server named (`console:password_policy.*`), or the general "choose a stronger one". */
  const policyText = (problem: string | undefined): string => {
    const key = `password_policy.${problem ?? ''}`;
    const text = t(key, { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH });
    return problem && text !== key ? text : t('password_change.problem.weak');
  };
  const check = (): boolean => {
    if (!current.control.value) markProblem(current, t('password_change.problem.required'));
    if ([...next.control.value].length < MIN_PASSWORD_LENGTH) markProblem(next, policyText('too_short'));
    else if (next.control.value !== confirm.control.value) markProblem(confirm, t('password_change.problem.mismatch'));
    problems[0]?.control.focus();
    return problems.length === 0;
  };

  const submit = h('button', { type: 'submit', class: 'primary' }, t('password_change.submit'));
  const form = h('form', { class: 'login', novalidate: true }, current.row, next.row, confirm.row, summary, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearProblems();
    done.hidden = true;
    if (!check()) return;
    submit.disabled = true;
    view.notify(t('password_change.working'));
    void (async () => {
      try {
        await view.call(z.unknown(), 'POST', '/me/password', { currentPassword: current.control.value, newPassword: next.control.value });
      } catch (error) {
        submit.disabled = false;
        view.notify('');
        const reason = error instanceof ApiError ? error.reason : 'generic';
        if (reason === 'wrong_password') markProblem(current, t('password_change.problem.wrong_current'));
        else if (reason === 'too_many_attempts') markProblem(current, t('password_change.problem.too_many_attempts'));
        else if (reason === 'weak_password') markProblem(next, policyText(error instanceof ApiError ? error.problem : undefined));
        else summary.textContent = error instanceof ApiError && error.status === 401 ? t('error.unauthenticated') : t('error.generic');
        (problems[0]?.control ?? submit).focus();
        return;
      }
      submit.disabled = false;
      form.reset();
      view.notify(t('password_change.done'));
      done.textContent = t('password_change.done');
      done.hidden = false;
    })();
  });

  view.show(t('password_change.title'), h('p', {}, t('password_change.intro')), form, done);
}
