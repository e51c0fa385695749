// What the console's forms (setup, settings, change password) share: a labelled control with its
// hint and the line where its problem is said, and the list of fields marked wrong in one attempt.
import { h } from '../../../channels/web/widget/client/dom.js';

export interface FormField {
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  row: HTMLElement;
  problem: HTMLElement;
  label: string;
}

/**
 * @example const email = formField('setup-email', t('setup.email'), h('input', { type: 'email' }));
 */
export function formField(id: string, label: string, control: FormField['control'], hint?: string, rowAttributes: Record<string, string> = {}): FormField {
  control.id = id;
  const problem = h('p', { class: 'error', id: `${id}-problem`, hidden: true });
  control.setAttribute('aria-describedby', [hint ? `${id}-hint` : '', `${id}-problem`].filter(Boolean).join(' '));
  const row = h('div', rowAttributes, h('label', { for: id }, label), ...(hint ? [h('p', { id: `${id}-hint`, class: 'hint' }, hint)] : []), control, problem);
  return { control, row, problem, label };
}

/** The fields marked wrong in this attempt, in the order they were marked (the first gets focus). */
export class FieldProblems {
  readonly marked: FormField[] = [];

  mark(field: FormField, text: string): void {
    field.control.setAttribute('aria-invalid', 'true');
    field.problem.hidden = false;
    field.problem.textContent = text;
    this.marked.push(field);
  }

  clear(): void {
    for (const field of this.marked.splice(0)) {
      field.control.removeAttribute('aria-invalid');
      field.problem.hidden = true;
      field.problem.textContent = '';
    }
  }

  /** Focuses the first marked field and says whether there was none. */
  focusFirst(): boolean {
    this.marked[0]?.control.focus();
    return this.marked.length === 0;
  }
}

/**
 * The password rule the server named (`console:password_policy.*`), or `fallbackKey` for a reason
 * this console has no text for.
 */
export function passwordPolicyText(
  t: (key: string, params?: Record<string, string | number>) => string,
  problem: string | undefined,
  fallbackKey: string,
  limits: { min: number; max: number },
): string {
  const key = `password_policy.${problem ?? ''}`;
  const text = t(key, limits);
  return problem && text !== key ? text : t(fallbackKey);
}
