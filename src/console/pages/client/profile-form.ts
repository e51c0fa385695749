// "Your name in the chat", on the user's own account page (#/password): the display name the
// person sees above this counsellor's messages ("Amira · Counsellor") and in the notice that they
// joined. The server decides (PATCH /me, src/console/auth/own-profile-routes.ts); empty clears it.
import type { z } from 'zod';
import { h } from '../../../channels/web/widget/client/dom.js';
import { ApiError, meSchema } from './api.js';
import type { AdminView } from './admin/page.js';
import { FieldProblems, formField } from './form-fields.js';

export type ProfileUser = z.infer<typeof meSchema>['user'];

/** What the form needs of the page around it (the password page passes itself). */
type ProfileFormView = Pick<AdminView, 't' | 'show' | 'notify' | 'call'>;

/** The form, filled with `user`'s name; `saved` gets the user as the server stored them. */
export function profileForm(view: ProfileFormView, user: ProfileUser, saved: (user: ProfileUser) => void): HTMLElement {
  const { t } = view;
  const name = formField(
    'profile-name',
    t('profile.label'),
    h('input', { type: 'text', name: 'displayName', autocomplete: 'nickname', maxlength: '200', value: user.displayName ?? '' }),
    t('profile.hint'),
  );
  const problems = new FieldProblems();
  const submit = h('button', { type: 'submit', class: 'primary' }, t('profile.submit'));
  const form = h('form', { class: 'login', novalidate: true, 'aria-labelledby': 'profile-title' }, name.row, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    problems.clear();
    submit.disabled = true;
    const displayName = name.control.value.trim();
    void (async () => {
      try {
        const answer = await view.call(meSchema, 'PATCH', '/me', { displayName: displayName || null });
        name.control.value = answer.user.displayName ?? '';
        saved(answer.user);
        view.notify(t('profile.done'));
      } catch (error) {
        problems.mark(name, error instanceof ApiError && error.status === 400 ? t('profile.problem') : t('error.generic'));
        problems.focusFirst();
      } finally {
        submit.disabled = false;
      }
    })();
  });
  return h('section', {}, h('h2', { id: 'profile-title' }, t('profile.title')), h('p', {}, t('profile.intro')), form);
}
