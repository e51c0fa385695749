// The console login throttle against real databases: parallel guesses, the account holder's way in
// while someone else guesses, growing delays, and a right password that races wrong ones.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConsoleAuth, type LoginResult } from '../../src/console/auth/auth.js';
import { defaultThrottlePolicy, loginGates } from '../../src/console/auth/login-throttle.js';
import { hashPassword } from '../../src/console/auth/password.js';
import { createConsoleRepository, type ConsoleRepository } from '../../src/store/repositories/console.js';
import { databaseKinds, useTestDatabase } from '../support/databases.js';
import { newOrganisation } from '../handoff/support.js';

const PASSWORD = 'a long enough password';
// Every test has addresses of its own: the address gate counts across accounts.
let addresses = 0;
const freshAddress = () => `2001:db8::${(++addresses).toString(16)}`;

describe.each(databaseKinds)('login throttle on %s', (kind) => {
  const database = useTestDatabase(kind);
  let passwordHash: string | undefined;

  async function setUp(clock?: () => Date): Promise<{ auth: ConsoleAuth; repo: ConsoleRepository; email: string; userId: string }> {
    const repo = createConsoleRepository(database().prisma);
    const organisationId = await newOrganisation(database(), `throttle-${randomUUID()}`);
    passwordHash ??= await hashPassword(PASSWORD);
    const email = `holder-${randomUUID()}@example.org`;
    const user = await repo.createUser({ organisationId, email, passwordHash, role: 'counsellor' });
    return { auth: new ConsoleAuth({ repository: repo, secureCookies: false, ...(clock ? { clock } : {}) }), repo, email, userId: user!.id };
  }

  const checkedPasswords = async (repo: ConsoleRepository, organisationId: string, userId: string) =>
    (await repo.listAudit(organisationId, 500)).filter((entry) => entry.actorUserId === userId && entry.data?.reason === 'wrong_password').length;

  it('checks at most five of 25 wrong guesses sent at once from one address', async () => {
    const { auth, repo, email, userId } = await setUp();
    const ATTACKER = freshAddress();
    const results = await Promise.all(Array.from({ length: 25 }, () => auth.login(email, 'wrong password', ATTACKER)));
    const reasons = results.map((result) => (result.ok ? 'ok' : result.reason));
    expect(reasons.filter((reason) => reason === 'invalid_credentials').length).toBeLessThanOrEqual(defaultThrottlePolicy.pair.free);
    expect(reasons.filter((reason) => reason === 'too_many_attempts').length).toBeGreaterThanOrEqual(25 - defaultThrottlePolicy.pair.free);
    const user = await repo.findUserById(userId);
    expect(await checkedPasswords(repo, user!.organisationId, userId)).toBeLessThanOrEqual(defaultThrottlePolicy.pair.free);
  });

  it('lets the account holder in from an address that has not failed while another address hammers', async () => {
    // A clock that stands still: the attacker's delays cannot run out while the test runs.
    const now = new Date();
    const { auth, email } = await setUp(() => now);
    const [ATTACKER, HOLDER] = [freshAddress(), freshAddress()];
    const hammering = Array.from({ length: 20 }, () => auth.login(email, 'wrong password', ATTACKER));
    const holder = auth.login(email, PASSWORD, HOLDER);
    const [mine, ...theirs] = await Promise.all([holder, ...hammering]);
    expect(mine!.ok).toBe(true);
    expect(theirs.some((result) => !result.ok && result.reason === 'too_many_attempts')).toBe(true);
    // And after the hammering too, the holder's second login works at once.
    expect((await auth.login(email, PASSWORD, HOLDER)).ok).toBe(true);
    // The attacker's address is still held back, even with the right password.
    expect(await auth.login(email, PASSWORD, ATTACKER)).toMatchObject({ ok: false, reason: 'too_many_attempts' });
  });

  it('makes each further wrong guess wait longer: 1 s, 2 s, 4 s, 8 s', async () => {
    let now = new Date('2026-12-01T10:00:00Z');
    const { auth, email } = await setUp(() => now);
    const ATTACKER = freshAddress();
    for (let attempt = 1; attempt <= 5; attempt++)
      expect(await auth.login(email, 'wrong password', ATTACKER)).toEqual({ ok: false, reason: 'invalid_credentials' });
    const waits: number[] = [];
    for (let round = 0; round < 4; round++) {
      const refused = await auth.login(email, 'wrong password', ATTACKER);
      if (refused.ok || refused.reason !== 'too_many_attempts') throw new Error(`expected a delay, got ${JSON.stringify(refused)}`);
      waits.push(refused.retryAfterSeconds);
      now = new Date(now.getTime() + refused.retryAfterSeconds * 1000);
      expect(await auth.login(email, 'wrong password', ATTACKER)).toEqual({ ok: false, reason: 'invalid_credentials' });
    }
    expect(waits).toEqual([1, 2, 4, 8]);
    // The window is over after 15 minutes without attempts: five free tries again.
    now = new Date(now.getTime() + 16 * 60_000);
    expect((await auth.login(email, PASSWORD, ATTACKER)).ok).toBe(true);
  });

  it('slows down guesses spread over many addresses at the account’s own, higher bound', async () => {
    const now = new Date('2026-12-01T11:00:00Z');
    const { repo, email, userId } = await setUp();
    const auth = new ConsoleAuth({
      repository: repo,
      secureCookies: false,
      clock: () => now,
      throttle: { account: { free: 12, windowMs: 3_600_000, firstDelayMs: 1_000, maxDelayMs: 60_000 } },
    });
    const results: LoginResult[] = [];
    // Three tries each from ten addresses: no pair gate closes, the account's does.
    for (let address = 0; address < 10; address++)
      for (let attempt = 0; attempt < 3; attempt++) results.push(await auth.login(email, 'wrong password', `192.0.2.${address}-${email}`));
    const checked = results.filter((result) => !result.ok && result.reason === 'invalid_credentials').length;
    expect(checked).toBe(12);
    const audit = await repo.listAudit((await repo.findUserById(userId))!.organisationId, 500);
    expect(audit.some((entry) => entry.actorUserId === userId && entry.data?.gate === 'account')).toBe(true);
  });

  it('does not reset the count when a right password races wrong ones', async () => {
    const { repo, email } = await setUp();
    const gates = loginGates(defaultThrottlePolicy, email, freshAddress());
    const now = new Date();
    const first = await repo.takeLoginAttempt(gates, now);
    const second = await repo.takeLoginAttempt(gates, now);
    const rightOne = await repo.takeLoginAttempt(gates, now);
    // Two wrong guesses are counted while the right one is being checked ...
    await repo.takeLoginAttempt(gates, now);
    await repo.takeLoginAttempt(gates, now);
    if (!first.allowed || !second.allowed || !rightOne.allowed) throw new Error('the first attempts must pass');
    await repo.settleLoginSuccess(gates, rightOne.pairCount);
    // ... so the success leaves them counted: the next guess is the sixth and must wait.
    expect(await repo.takeLoginAttempt(gates, now)).toMatchObject({ allowed: false, gate: 'pair' });
    const row = await database().prisma.loginThrottle.findUnique({ where: { key: gates.pair.key } });
    expect(row?.failures).toBe(5);
  });

  it('starts the pair again after a right password with no attempt racing it', async () => {
    const { repo, email } = await setUp();
    const gates = loginGates(defaultThrottlePolicy, email, freshAddress());
    const now = new Date();
    for (let attempt = 0; attempt < 3; attempt++) await repo.takeLoginAttempt(gates, now);
    const right = await repo.takeLoginAttempt(gates, now);
    if (!right.allowed) throw new Error('the fourth attempt must pass');
    await repo.settleLoginSuccess(gates, right.pairCount);
    expect(await database().prisma.loginThrottle.findUnique({ where: { key: gates.pair.key } })).toBeNull();
    // The account-wide count keeps the three failures (a success elsewhere does not wipe them).
    expect((await database().prisma.loginThrottle.findUnique({ where: { key: gates.account.key } }))?.failures).toBe(3);
  });
});
