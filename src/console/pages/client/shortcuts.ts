// Keys for what a counsellor does all day in the queue: j and k move between referrals, Enter opens
// the one in focus, c claims it, ? lists the keys. None fires while typing in a field, or with
// Ctrl, Alt or Meta held (those are the browser's and the screen reader's).
import { h } from '../../../channels/web/widget/client/dom.js';

/** The keys as the list on `?` shows them, each with its text in console.json (`shortcuts.<name>`). */
export const SHORTCUTS = [
  { key: 'j', name: 'next' },
  { key: 'k', name: 'previous' },
  { key: 'Enter', name: 'open' },
  { key: 'c', name: 'claim' },
  { key: '?', name: 'help' },
] as const;

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest('input, textarea, select, [contenteditable]') !== null;
}

const queueRows = () => Array.from(document.querySelectorAll<HTMLTableRowElement>('table.queue tbody tr[data-referral]'));

/** The dialog listing the keys, made anew each time (in the language chosen by then). */
function helpDialog(t: (key: string) => string): HTMLDialogElement {
  document.getElementById('shortcuts')?.remove();
  const close = h('button', { type: 'button' }, t('shortcuts.close'));
  const dialog = h(
    'dialog',
    { id: 'shortcuts', class: 'shortcuts', 'aria-labelledby': 'shortcuts-title' },
    h('h2', { id: 'shortcuts-title' }, t('shortcuts.title')),
    h('dl', {}, ...SHORTCUTS.flatMap(({ key, name }) => [h('dt', {}, h('kbd', {}, key)), h('dd', {}, t(`shortcuts.${name}`))])),
    close,
  );
  close.addEventListener('click', () => dialog.close());
  document.body.append(dialog);
  return dialog;
}

/** Listens on the document for the page's lifetime; `t` gives the texts in the language chosen at the time of the press. */
export function installShortcuts(t: (key: string) => string): void {
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented || typing(event.target)) return;
    if (document.querySelector('dialog[open]') && event.key !== '?') return;
    const rows = queueRows();
    const current = rows.findIndex((row) => row.contains(document.activeElement));
    const focused = rows[current];
    const move = (step: number) => {
      const next = rows[current === -1 ? (step > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, current + step))];
      if (!next) return;
      event.preventDefault();
      next.focus();
    };
    switch (event.key) {
      case 'j':
        return move(1);
      case 'k':
        return move(-1);
      case 'Enter':
        // On the row itself only: Enter on its button or link does what that control does.
        if (!focused || document.activeElement !== focused) return;
        event.preventDefault();
        location.hash = `#/referral/${focused.dataset.referral}`;
        return;
      case 'c': {
        const claim = focused?.querySelector<HTMLButtonElement>('button[data-claim]');
        if (!claim || claim.disabled) return;
        event.preventDefault();
        claim.click();
        return;
      }
      case '?': {
        event.preventDefault();
        const open = document.querySelector<HTMLDialogElement>('dialog#shortcuts[open]');
        if (open) open.close();
        else helpDialog(t).showModal();
        return;
      }
      default:
        return;
    }
  });
}
