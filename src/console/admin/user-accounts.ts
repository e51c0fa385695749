import { randomInt } from 'node:crypto';
import type { ConsoleRepository, ConsoleUser, UserRole } from '../../store/repositories/console.js';
import { hashPassword } from '../auth/password.js';

/** No 0/o, 1/l/i: the admin may read it out over the phone. */
const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * A password an admin hands over once, e.g. `k7qmz-2xwpa-9hfdn-3tncv`: 20 characters from 31,
 * about 99 random bits. It passes the one password policy (src/console/auth/password-policy.ts;
 * test/console/password-policy.test.ts checks samples) without being checked each time: zxcvbn
 * spends ~0.2 s of CPU on a string this random.
 */
export function generatePassword(): string {
  const groups = Array.from({ length: 4 }, () => Array.from({ length: 5 }, () => alphabet[randomInt(alphabet.length)]).join(''));
  return groups.join('-');
}

export interface NewAccount {
  organisationId: string;
  email: string;
  displayName?: string;
  role: UserRole;
  password: string;
}

/**
 * Creates a console user with a hashed password and audits `user_created` (role and channel only).
 * The one path for new accounts, so the console and `npm run admin -- user:create` cannot drift.
 * Null when the e-mail address is taken (addresses are unique across organisations).
 */
export async function createUserAccount(
  repo: Pick<ConsoleRepository, 'createUser' | 'audit'>,
  account: NewAccount,
  actor: { userId: string | null; via: string },
): Promise<ConsoleUser | null> {
  const user = await repo.createUser({
    organisationId: account.organisationId,
    email: account.email,
    passwordHash: await hashPassword(account.password),
    role: account.role,
    ...(account.displayName ? { displayName: account.displayName } : {}),
  });
  if (!user) return null;
  await repo.audit({
    organisationId: account.organisationId,
    actorUserId: actor.userId,
    action: 'user_created',
    targetType: 'user',
    targetId: user.id,
    data: { role: user.role, via: actor.via },
  });
  return user;
}
