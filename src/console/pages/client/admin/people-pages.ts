// The admin's people pages: console users (add, role, deactivate, reset password) and API keys
// (create, revoke). A new password or key is shown once, in a panel the admin closes; nothing can
// fetch it again. The server enforces every rule (last active admin, organisation scope); the page
// explains its refusals.
import { z } from 'zod';
import { h } from '../../../../channels/web/widget/client/dom.js';
import { ApiError, meSchema } from '../api.js';
import type { AdminPage, AdminView } from './page.js';
import { dateText, secretBox, showSecretOnce, table } from './page-parts.js';

const roles = ['counsellor', 'admin'] as const;

const listedUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string().nullable(),
  role: z.enum(roles),
  active: z.boolean(),
  createdAt: z.string(),
});
type ListedUser = z.infer<typeof listedUserSchema>;
const usersSchema = z.object({ users: z.array(listedUserSchema) });
const createdUserSchema = z.object({ user: listedUserSchema, password: z.string() });
const changedUserSchema = z.object({ user: listedUserSchema });
const passwordSchema = z.object({ password: z.string() });

const keySchema = z.object({
  id: z.string(),
  prefix: z.string(),
  userId: z.string(),
  userEmail: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
type ListedKey = z.infer<typeof keySchema>;
const keysSchema = z.object({ keys: z.array(keySchema) });
const createdKeySchema = z.object({ key: keySchema, token: z.string() });
const revokedKeySchema = z.object({ key: keySchema.nullable() });

/** The page's own wording for the refusals it expects, else the console's general one. */
function refusalText(view: AdminView, area: 'users' | 'api_keys', error: unknown): string {
  if (error instanceof ApiError) {
    const key = `admin.${area}.error.${error.reason}`;
    if (view.t(key) !== key) return view.t(key);
  }
  return view.errorText(error);
}

const usersPage: AdminPage = {
  path: 'users',
  navKey: 'admin.users.nav',
  async render(view) {
    const t = (key: string, params?: Record<string, string | number>) => view.t(`admin.users.${key}`, params);
    const me = (await view.call(meSchema, 'GET', '/me')).user;
    const secret = secretBox();
    const body = h('tbody');

    const email = h('input', { id: 'new-user-email', type: 'email', required: true, autocomplete: 'off', maxlength: '254' });
    const name = h('input', { id: 'new-user-name', type: 'text', autocomplete: 'off', maxlength: '200' });
    const role = h('select', { id: 'new-user-role' }, ...roles.map((value) => h('option', { value }, t(`role.${value}`))));
    const formError = h('p', { class: 'error', role: 'alert' });
    const submit = h('button', { type: 'submit', class: 'primary' }, t('create.submit'));
    const form = h(
      'form',
      { 'aria-labelledby': 'new-user-title', novalidate: true },
      h('h2', { id: 'new-user-title' }, t('create.title')),
      h('p', { id: 'new-user-hint' }, t('create.hint')),
      h('label', { for: 'new-user-email' }, t('create.email')),
      email,
      h('label', { for: 'new-user-name' }, t('create.name')),
      name,
      h('label', { for: 'new-user-role' }, t('create.role')),
      role,
      formError,
      h('div', { class: 'actions' }, submit),
    );
    email.setAttribute('aria-describedby', 'new-user-hint');

    const load = async () => {
      const { users } = await view.call(usersSchema, 'GET', '/admin/users');
      body.replaceChildren(...users.map(row));
    };
    /** Runs a row action, then reloads the table with focus back on the same button of the same row (keyboard users stay put). */
    const act = async (work: () => Promise<string>) => {
      const focused = document.activeElement;
      const rowId = focused instanceof HTMLElement ? focused.closest('tr')?.dataset.userId : undefined;
      const index = rowId && focused ? Array.from(focused.closest('tr')?.querySelectorAll('button') ?? []).indexOf(focused as HTMLButtonElement) : -1;
      try {
        view.notify(await work());
      } catch (error) {
        view.notify(refusalText(view, 'users', error));
      }
      await load();
      if (rowId && index >= 0 && secret.hidden)
        Array.from(body.querySelectorAll('tr'))
          .find((tr) => tr.dataset.userId === rowId)
          ?.querySelectorAll('button')
          [index]?.focus();
    };
    const change = (user: ListedUser, patch: Record<string, unknown>) =>
      view.call(changedUserSchema, 'PATCH', `/admin/users/${encodeURIComponent(user.id)}`, patch);

    function row(user: ListedUser): HTMLTableRowElement {
      const emailId = `user-${user.id}-email`;
      const button = (label: string, onClick: () => void) => {
        const element = h('button', { type: 'button', 'aria-describedby': emailId }, label);
        element.addEventListener('click', onClick);
        return element;
      };
      const otherRole = user.role === 'admin' ? 'counsellor' : 'admin';
      const actions = [
        button(
          t(user.role === 'admin' ? 'action.make_counsellor' : 'action.make_admin'),
          () =>
            void act(async () => {
              await change(user, { role: otherRole });
              return t('notice.role_changed', { email: user.email });
            }),
        ),
        user.active
          ? button(t('action.deactivate'), () => {
              if (!window.confirm(t('confirm.deactivate', { email: user.email }))) return;
              void act(async () => {
                await change(user, { active: false });
                return t('notice.deactivated', { email: user.email });
              });
            })
          : button(
              t('action.reactivate'),
              () =>
                void act(async () => {
                  await change(user, { active: true });
                  return t('notice.reactivated', { email: user.email });
                }),
            ),
        // The name the person in the chat sees above this user's messages; empty clears it.
        button(t('action.rename'), () => {
          const name = window.prompt(t('prompt.rename', { email: user.email }), user.displayName ?? '');
          if (name === null) return;
          void act(async () => {
            await change(user, { displayName: name.trim() || null });
            return t('notice.renamed', { email: user.email });
          });
        }),
        button(t('action.reset_password'), () => {
          if (!window.confirm(t('confirm.reset_password', { email: user.email }))) return;
          void act(async () => {
            const { password } = await view.call(passwordSchema, 'POST', `/admin/users/${encodeURIComponent(user.id)}/password`, {});
            showSecretOnce(
              secret,
              { title: t('secret.reset', { email: user.email }), label: t('secret.label'), once: t('secret.once'), done: t('secret.done') },
              password,
              () => email.focus(),
            );
            return t('notice.password_reset', { email: user.email });
          });
        }),
      ];
      return h(
        'tr',
        { 'data-user-id': user.id },
        h('td', { id: emailId }, user.email, ...(user.id === me.id ? [` ${t('you')}`] : [])),
        h('td', {}, user.displayName ?? ''),
        h('td', {}, t(`role.${user.role}`)),
        h('td', {}, t(user.active ? 'status.active' : 'status.inactive')),
        h('td', {}, dateText(view, user.createdAt)),
        h('td', {}, h('div', { class: 'actions' }, ...actions)),
      );
    }

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      formError.textContent = '';
      if (!email.checkValidity()) {
        formError.textContent = t('error.invalid_body');
        email.focus();
        return;
      }
      submit.disabled = true;
      const displayName = name.value.trim();
      void view
        .call(createdUserSchema, 'POST', '/admin/users', { email: email.value.trim(), role: role.value, ...(displayName ? { displayName } : {}) })
        .then(async ({ user, password }) => {
          email.value = '';
          name.value = '';
          await load();
          view.notify(t('notice.created', { email: user.email }));
          showSecretOnce(
            secret,
            { title: t('secret.created', { email: user.email }), label: t('secret.label'), once: t('secret.once'), done: t('secret.done') },
            password,
            () => email.focus(),
          );
        })
        .catch((error: unknown) => {
          formError.textContent = refusalText(view, 'users', error);
          email.focus();
        })
        .finally(() => {
          submit.disabled = false;
        });
    });

    view.show(
      t('nav'),
      h('p', {}, t('intro')),
      secret,
      table(
        t('table'),
        ['email', 'name', 'role', 'status', 'created', 'actions'].map((column) => t(`col.${column}`)),
        body,
      ),
      form,
    );
    await load();
  },
};

const apiKeysPage: AdminPage = {
  path: 'api-keys',
  navKey: 'admin.api_keys.nav',
  async render(view) {
    const t = (key: string, params?: Record<string, string | number>) => view.t(`admin.api_keys.${key}`, params);
    const [me, { users }] = await Promise.all([view.call(meSchema, 'GET', '/me'), view.call(usersSchema, 'GET', '/admin/users')]);
    const secret = secretBox();
    const body = h('tbody');
    const empty = h('p', { hidden: true }, t('empty'));

    const owner = h('select', { id: 'new-key-owner', 'aria-describedby': 'api-keys-intro' });
    for (const user of users.filter((candidate) => candidate.active)) {
      const option = h('option', { value: user.id }, `${user.email} (${view.t(`admin.users.role.${user.role}`)})`);
      option.selected = user.id === me.user.id;
      owner.append(option);
    }
    const formError = h('p', { class: 'error', role: 'alert' });
    const submit = h('button', { type: 'submit', class: 'primary' }, t('create.submit'));
    const form = h(
      'form',
      { 'aria-labelledby': 'new-key-title' },
      h('h2', { id: 'new-key-title' }, t('create.title')),
      h('label', { for: 'new-key-owner' }, t('create.owner')),
      owner,
      formError,
      h('div', { class: 'actions' }, submit),
    );

    const load = async () => {
      const { keys } = await view.call(keysSchema, 'GET', '/admin/api-keys');
      body.replaceChildren(...keys.map(row));
      empty.hidden = keys.length > 0;
    };

    function row(key: ListedKey): HTMLTableRowElement {
      const prefixId = `key-${key.id}-prefix`;
      const actions: Node[] = [];
      if (!key.revokedAt) {
        const revoke = h('button', { type: 'button', 'aria-describedby': prefixId }, t('revoke'));
        revoke.addEventListener('click', () => {
          if (!window.confirm(t('confirm_revoke', { prefix: key.prefix }))) return;
          void view
            .call(revokedKeySchema, 'POST', `/admin/api-keys/${encodeURIComponent(key.id)}/revoke`, {})
            .then(() => view.notify(t('notice.revoked')))
            .catch((error: unknown) => view.notify(refusalText(view, 'api_keys', error)))
            .finally(() => void load().catch((error: unknown) => view.notify(view.errorText(error))));
        });
        actions.push(revoke);
      }
      return h(
        'tr',
        {},
        h('td', { id: prefixId }, h('code', {}, `${key.prefix}…`)),
        h('td', {}, key.userEmail),
        h('td', {}, dateText(view, key.createdAt)),
        h('td', {}, key.lastUsedAt ? dateText(view, key.lastUsedAt, true) : t('never')),
        h('td', {}, key.revokedAt ? t('status.revoked', { date: dateText(view, key.revokedAt, true) }) : t('status.active')),
        h('td', {}, ...actions),
      );
    }

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      formError.textContent = '';
      submit.disabled = true;
      const ownerEmail = users.find((user) => user.id === owner.value)?.email ?? '';
      void view
        .call(createdKeySchema, 'POST', '/admin/api-keys', { userId: owner.value })
        .then(async ({ token }) => {
          await load();
          view.notify(t('notice.created'));
          showSecretOnce(
            secret,
            { title: t('secret.title', { email: ownerEmail }), label: t('secret.label'), once: t('secret.once'), done: t('secret.done') },
            token,
            () => owner.focus(),
          );
        })
        .catch((error: unknown) => {
          formError.textContent = refusalText(view, 'api_keys', error);
        })
        .finally(() => {
          submit.disabled = false;
        });
    });

    view.show(
      t('nav'),
      h('p', { id: 'api-keys-intro' }, t('intro')),
      secret,
      table(
        t('table'),
        ['prefix', 'owner', 'created', 'last_used', 'status', 'actions'].map((column) => t(`col.${column}`)),
        body,
      ),
      empty,
      form,
    );
    await load();
  },
};

export const peoplePages: AdminPage[] = [usersPage, apiKeysPage];
