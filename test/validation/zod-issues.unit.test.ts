// The one way this codebase names a zod problem: for a 400 answer (fieldIssues) and for a person at
// a terminal or in a log (issueLines).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldIssues, issueLines } from '../../src/validation/zod-issues.js';

const schema = z.strictObject({
  household: z.strictObject({ adults: z.number().int().min(1) }),
  colour: z.string().refine((value) => value !== '#ffd700', { message: 'too light', params: { reason: 'low_contrast' } }),
});
const errorOf = (input: unknown) => {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error('expected a failure');
  return parsed.error;
};

describe('zod issues', () => {
  it('name the field by a dotted path, a stray key by itself, and a custom check by its reason', () => {
    expect(fieldIssues(errorOf({ household: { adults: 0, legalstatus: 'x' }, colour: '#ffd700' }))).toEqual([
      { path: 'household.adults', message: expect.any(String) },
      { path: 'household.legalstatus', message: 'unknown field' },
      { path: 'colour', message: 'too light', reason: 'low_contrast' },
    ]);
  });

  it('read as lines, with a prefix for CLI options and a name for the whole value', () => {
    expect(issueLines(errorOf({ household: { adults: 1 }, colour: '#ffd700' }), { prefix: '--' })).toEqual(['--colour: too light']);
    expect(issueLines(errorOf('not an object'), { root: '(environment)' })).toEqual([expect.stringMatching(/^\(environment\): /)]);
    expect(issueLines(errorOf('not an object'))[0]).not.toContain(':  ');
  });

  it('never carry the value that was sent', () => {
    const secret = 'my-asylum-case-number-123';
    expect(JSON.stringify(fieldIssues(errorOf({ household: { adults: secret }, colour: secret })))).not.toContain(secret);
  });
});
