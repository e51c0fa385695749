import type { FormatterModule } from 'i18next';

/** First-strong isolate and pop directional isolate (Unicode TR9). */
const isolateStart = '\u2068';
const isolateEnd = '\u2069';

type FormatFunction = (value: unknown, lng: string | undefined, options: Record<string, unknown>) => string;

/**
 * i18next's formatter, replaced so that every interpolated value passes through it (`alwaysFormat`):
 * numbers, money and dates are formatted with `Intl` in the reader's language, and in right-to-left
 * languages each value is wrapped in Unicode isolation marks, so a Latin name, an amount or a date
 * cannot scramble the sentence around it.
 *
 * Variables that build a key for nesting (`$t(ns:component.{{component}})`) must stay bare: their
 * names are passed in `keyVariables`.
 *
 * @example
 * "يمكنك الحصول على ما يصل إلى {{amount, number}} يورو" renders the amount as "\u20683,600\u2069".
 */
export function createFormatter(
  isRightToLeft: (lng: string) => boolean,
  keyVariables: ReadonlySet<string>,
): FormatterModule & { add(name: string, fn: FormatFunction): void } {
  const formats = new Map<string, FormatFunction>([
    ['number', (value, lng, options) => new Intl.NumberFormat(lng, numberOptions(options)).format(Number(value))],
    [
      'currency',
      (value, lng, options) =>
        new Intl.NumberFormat(lng, { style: 'currency', currency: String(options.currency ?? 'EUR'), maximumFractionDigits: 0 }).format(Number(value)),
    ],
    // Always the Gregorian calendar: deadlines and opening days are given in it (Persian's default is the solar calendar).
    ['date', (value, lng) => new Intl.DateTimeFormat(lng, { dateStyle: 'long', calendar: 'gregory' }).format(toDate(value))],
  ]);

  return {
    type: 'formatter',
    init() {},
    add(name, fn) {
      formats.set(name, fn);
    },
    addCached(name, fn) {
      formats.set(name, (value, lng, options) => fn(lng, options)(value));
    },
    format(value, format, lng, options = {}) {
      if (value === undefined || value === null) return value;
      // A bare number ({{count}}) is written in the reader's digits, ungrouped (it may be a year).
      let result: unknown = typeof value === 'number' && !format ? new Intl.NumberFormat(lng, { useGrouping: false }).format(value) : value;
      for (const part of (format ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean)) {
        const [name, argument] = parseFormat(part);
        const fn = formats.get(name);
        if (fn) result = fn(result, lng, { ...options, ...(argument ? { currency: argument } : {}) });
      }
      const variable = typeof options.interpolationkey === 'string' ? options.interpolationkey : '';
      if (!lng || !isRightToLeft(lng) || keyVariables.has(variable)) return result;
      return `${isolateStart}${String(result)}${isolateEnd}`;
    },
  };
}

/** `currency(USD)` -> ["currency", "USD"]. */
function parseFormat(part: string): [string, string | undefined] {
  const match = /^([a-zA-Z]+)(?:\(([^)]*)\))?$/.exec(part);
  return match ? [match[1] ?? part, match[2]] : [part, undefined];
}

function numberOptions(options: Record<string, unknown>): Intl.NumberFormatOptions {
  return typeof options.maximumFractionDigits === 'number' ? { maximumFractionDigits: options.maximumFractionDigits } : {};
}

function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

/** Names of variables used inside `$t(...)` nesting in any text: they are parts of keys, not text. */
export function nestingKeyVariables(texts: Iterable<string>): Set<string> {
  const names = new Set<string>();
  for (const text of texts) {
    for (const nesting of text.matchAll(/\$t\(([^)]*)\)/g)) {
      for (const variable of (nesting[1] ?? '').matchAll(/\{\{\s*([^,}\s]+)/g)) names.add(variable[1] ?? '');
    }
  }
  return names;
}
