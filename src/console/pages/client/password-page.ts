// The "Change password" page (#/password), for any logged-in user: the current password, the new
// one twice. The server decides (src/console/auth/own-password-routes.ts); this page checks only
// what saves a trip, and says every refusal at the field it concerns.
import { z } from 'zod';
import { h } from '../../../channels/web/widget/client/dom.js';
import { ApiError } from './api.js';
import type { AdminView } from './admin/page.js';
import { FieldProblems, formField, passwordPolicyText } from './form-fields.js';
import { profileForm, type ProfileUser } from './profile-form.js';

export type PasswordPageView = Pick<AdminView, 't' | 'show' | 'notify' | 'call'>;

// The length rule only: the full policy (common and repeated passwords) is the server's.
const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1024;

/** A labelled password input with an optional hint and the line where its problem is said. */
function field(id: string, label: string, autocomplete: string, hint?: string) {
  return formField(id, label, h('input', { type: 'password', name: id, autocomplete, required: true }), hint);
}

/** With `profile`, the user's display name below: what belongs to their own account, on one page. */
export function passwordView(view: PasswordPageView, profile?: { user: ProfileUser; saved(user: ProfileUser): void }): void {
  const { t } = view;
  const current = field('password-current', t('password_change.current'), 'current-password');
  const next = field('password-new', t('password_change.new'), 'new-password', t('password_change.new_hint', { min: MIN_PASSWORD_LENGTH }));
  const confirm = field('password-confirm', t('password_change.confirm'), 'new-password');
  const summary = h('p', { class: 'error', role: 'alert' });
  const done = h('p', { role: 'status', class: 'done', hidden: true });

  const problems = new FieldProblems();
  const markProblem = (item: ReturnType<typeof field>, text: string) => problems.mark(item, text);
  const policyText = (problem: string | undefined) =>
    passwordPolicyText(t, problem, 'password_change.problem.weak', { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH });
  const check = (): boolean => {
    if (!current.control.value) markProblem(current, t('password_change.problem.required'));
    if ([...next.control.value].length < MIN_PASSWORD_LENGTH) markProblem(next, policyText('too_short'));
    else if (next.control.value !== confirm.control.value) markProblem(confirm, t('password_change.problem.mismatch'));
    return problems.focusFirst();
  };

  const submit = h('button', { type: 'submit', class: 'primary' }, t('password_change.submit'));
  const form = h('form', { class: 'login', novalidate: true }, current.row, next.row, confirm.row, summary, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    problems.clear();
    summary.textContent = '';
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
        (problems.marked[0]?.control ?? submit).focus();
        return;
      }
      submit.disabled = false;
      form.reset();
      view.notify(t('password_change.done'));
      done.textContent = t('password_change.done');
      done.hidden = false;
    })();
  });

  view.show(
    t('password_change.title'),
    h('p', {}, t('password_change.intro')),
    form,
    done,
    ...(profile ? [profileForm(view, profile.user, profile.saved)] : []),
  );
}
