// The one password policy of the console: the setup page, `npm run admin -- user:create` and the
// generated passwords of "add user" and "reset password" all pass through `checkPassword`. What a
// person reads about a refusal is `console:password_policy.<reason>` in locales/.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;
/** zxcvbn's 0-4 score; 3 is "safely unguessable" (about 10^8 guesses and more). */
const MIN_SCORE = 3;

/** Why a password is refused; each has a text at `console:password_policy.<reason>`. */
export type PasswordProblem = 'too_short' | 'too_long' | 'repeated' | 'common';
export const passwordProblems: readonly PasswordProblem[] = ['too_short', 'too_long', 'repeated', 'common'];

/** Warnings zxcvbn gives for repeated characters, runs and keyboard walks. */
const repetitionWarnings = new Set(['simpleRepeat', 'extendedRepeat', 'sequences', 'straightRow', 'keyPattern']);

let factory: ZxcvbnFactory | undefined;

/** Built on first use (the dictionaries take ~0.2 s), shared afterwards. */
function estimator(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...english.dictionary }, graphs: common.adjacencyGraphs });
  return factory;
}

/**
 * Null when the password is acceptable, otherwise the reason: fewer than 12 characters (counted
 * as code points), more than 1,024, characters or patterns repeated ("aaaaaaaaaaaa", "abcdefghijkl"),
 * or too easy to guess (common passwords, words with a few digits, the person's own e-mail address
 * or name given in `personal`).
 * @example checkPassword('password1234') // 'common'
 * @example checkPassword('four words in a row') // null
 */
export function checkPassword(password: string, personal: readonly string[] = []): PasswordProblem | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (length > MAX_PASSWORD_LENGTH) return 'too_long';
  const inputs = personal.flatMap((value) => [value, ...value.split(/[@.\s_-]+/)]).filter((value) => value.length >= 3);
  const result = estimator().check(password, inputs);
  if (result.score >= MIN_SCORE) return null;
  return result.feedback.warning && repetitionWarnings.has(result.feedback.warning) ? 'repeated' : 'common';
}
