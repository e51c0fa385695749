import type { z } from 'zod';

/** One problem of an input, as every 400 answer and every report of this codebase names it. */
export interface FieldIssue {
  /** Dotted path within the input, e.g. "household.adults" or "widgetLook.title.de"; "" for the whole value. */
  path: string;
  message: string;
  /** A code a custom check gave (`params.reason`, e.g. "low_contrast"), for a client to put into words. */
  reason?: string;
}

/**
 * Zod's issues as fields and messages (never the values, which may be a person's data). A stray key
 * is named itself, so a typo such as "legalstatus" is easy to find.
 * @example fieldIssues(schema.safeParse(body).error) // [{ path: 'household.adults', message: 'Too small: expected number to be >=1' }]
 */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: 'unknown field' }));
    const reason = issue.code === 'custom' && typeof issue.params?.reason === 'string' ? issue.params.reason : undefined;
    return [{ path: path.join('.'), message: issue.message, ...(reason ? { reason } : {}) }];
  });
}

/**
 * The same as lines for a person at a terminal or in a log: "path: message". `prefix` goes before a
 * path (`--` for CLI options); `root` names the whole value when the path is empty.
 * @example issueLines(error, { prefix: '--' }) // ['--flow: Required']
 */
export function issueLines(error: z.ZodError, options: { prefix?: string; root?: string } = {}): string[] {
  return fieldIssues(error).map(({ path, message }) =>
    path ? `${options.prefix ?? ''}${path}: ${message}` : options.root ? `${options.root}: ${message}` : message,
  );
}
