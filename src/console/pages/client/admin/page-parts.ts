// Pieces several admin pages draw alike: a date in the admin's language, a table with a caption for
// screen readers, and the panel that shows a new secret (password, API key, webhook secret) once.
import { h } from '../../../../channels/web/widget/client/dom.js';
import type { AdminView } from './page.js';

export function dateText(view: AdminView, iso: string, withTime = false): string {
  return new Intl.DateTimeFormat(view.lng, withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' }).format(new Date(iso));
}

export function table(caption: string, columns: string[], body: HTMLTableSectionElement): HTMLTableElement {
  return h(
    'table',
    {},
    h('caption', { class: 'vh-label' }, caption),
    h('thead', {}, h('tr', {}, ...columns.map((column) => h('th', { scope: 'col' }, column)))),
    body,
  );
}

/**
 * A secret shown once: a heading that takes focus, the value in a read-only field (easy to select
 * and copy), what "once" means, and a button that removes it from the page for good.
 */
export function showSecretOnce(box: HTMLElement, texts: { title: string; label: string; once: string; done: string }, secret: string, after: () => void): void {
  const heading = h('h2', { id: 'one-time-secret-title', tabindex: '-1' }, texts.title);
  const field = h('input', {
    id: 'one-time-secret',
    type: 'text',
    readonly: true,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'one-time-secret-once',
  });
  field.value = secret;
  field.addEventListener('focus', () => field.select());
  const done = h('button', { type: 'button', class: 'primary' }, texts.done);
  done.addEventListener('click', () => {
    box.replaceChildren();
    box.hidden = true;
    after();
  });
  box.replaceChildren(
    heading,
    h('label', { for: 'one-time-secret' }, texts.label),
    field,
    h('p', { id: 'one-time-secret-once' }, texts.once),
    h('div', { class: 'actions' }, done),
  );
  box.hidden = false;
  heading.focus();
}

export function secretBox(): HTMLElement {
  return h('section', { class: 'panel one-time-secret', 'aria-labelledby': 'one-time-secret-title', hidden: true });
}
