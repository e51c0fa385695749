import { z } from 'zod';
import type { PrismaClient } from '../generated/client.js';

/**
 * One gate of the login throttle: `free` attempts in `windowMs`, then each further attempt must
 * wait `firstDelayMs`, twice that, four times ... (at most `maxDelayMs`) after the one before it.
 */
export interface ThrottleGate {
  key: string;
  free: number;
  windowMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/** The gates in the order they are asked; a closed gate stops the attempt before the next is counted. */
export interface LoginGates {
  /** Every attempt from one address, whatever the account. */
  address: ThrottleGate;
  /** One account from one address: where a guesser is slowed down first. */
  pair: ThrottleGate;
  /** One account from every address: a much higher bound, for guessers spread over many addresses. */
  account: ThrottleGate;
}

export type GateName = keyof LoginGates;

export type AttemptVerdict =
  /** Counted at every gate; `pairCount` is the pair's count after this attempt (for `settleSuccess`). */
  { allowed: true; pairCount: number } | { allowed: false; gate: GateName; retryAfterMs: number };

/**
 * The console login throttle in the shared database, so every instance counts the same attempts.
 * An attempt is recorded *before* the password is checked, in one statement that also says
 * whether it may go on: 25 guesses sent at once are 25 increments of one row, each seeing the one
 * before it, so only the first few get checked.
 */
export interface LoginThrottleStore {
  /**
   * Records an attempt at each gate in turn (address, pair, account) while the gates are open.
   * @example
   * const verdict = await throttle.takeAttempt(gates, new Date());
   * if (!verdict.allowed) answer429(verdict.retryAfterMs);
   */
  takeAttempt(gates: LoginGates, now: Date): Promise<AttemptVerdict>;
  /**
   * After a right password: the attempt was not a failure, so the address and account counts give
   * it back, and the pair starts again, but only if no other attempt was counted on it meanwhile
   * (a success racing a guesser's attempts does not wipe them).
   */
  settleSuccess(gates: LoginGates, pairCount: number): Promise<void>;
}

const verdictSchema = z.array(
  z.object({
    address: z.number().int().nullable(),
    pair: z.number().int().nullable(),
    account: z.number().int().nullable(),
    addressWait: z.number().nullable(),
    pairWait: z.number().nullable(),
    accountWait: z.number().nullable(),
  }),
);

/**
 * An upsert that counts an attempt only while the gate is open (`lockedUntil` passed): its
 * `ON CONFLICT ... WHERE` leaves a closed gate's row alone and returns no row for it. The next
 * gate is only counted when this one returned a row. `lockedUntil` holds the earliest time of the
 * next attempt; a window older than `windowMs` starts again at one.
 */
function gateStatement(name: string, first: number, after: string | null): string {
  const p = (offset: number) => `$${first + offset}`;
  // $1: now (ISO text); per gate: key, free, window (ms), first delay (s), longest delay (s).
  const now = `($1::timestamptz AT TIME ZONE 'UTC')`;
  const expired = `t."windowStart" <= ${now} - make_interval(secs => ${p(2)}::double precision / 1000)`;
  const count = `CASE WHEN ${expired} THEN 1 ELSE t.failures + 1 END`;
  const delay = (n: string) =>
    `CASE WHEN ${n} < ${p(1)}::int THEN 0 ELSE LEAST(${p(4)}::double precision, ${p(3)}::double precision * power(2, ${n} - ${p(1)}::int)) END`;
  return `${name} AS (
    INSERT INTO "LoginThrottle" AS t (key, failures, "windowStart", "lockedUntil")
    SELECT ${p(0)}::text, 1, ${now}, ${now} + make_interval(secs => ${delay('1')})
    ${after ? `WHERE EXISTS (SELECT 1 FROM ${after})` : ''}
    ON CONFLICT (key) DO UPDATE SET
      failures = ${count},
      "windowStart" = CASE WHEN ${expired} THEN ${now} ELSE t."windowStart" END,
      "lockedUntil" = ${now} + make_interval(secs => ${delay(count)})
    WHERE t."lockedUntil" IS NULL OR t."lockedUntil" <= ${now}
    RETURNING failures
  )`;
}

const waitOf = (param: string) =>
  `(SELECT GREATEST(0, EXTRACT(EPOCH FROM ("lockedUntil" - ($1::timestamptz AT TIME ZONE 'UTC'))) * 1000)::float8 FROM "LoginThrottle" WHERE key = ${param}::text)`;

const takeAttemptSql = `WITH ${gateStatement('address', 2, null)}, ${gateStatement('pair', 7, 'address')}, ${gateStatement('account', 12, 'pair')}
  SELECT (SELECT failures FROM address) AS address, (SELECT failures FROM pair) AS pair, (SELECT failures FROM account) AS account,
    ${waitOf('$2')} AS "addressWait", ${waitOf('$7')} AS "pairWait", ${waitOf('$12')} AS "accountWait"`;

const gateParams = (gate: ThrottleGate) => [gate.key, gate.free, gate.windowMs, gate.firstDelayMs / 1000, gate.maxDelayMs / 1000];

/** The throttle on PostgreSQL or PGlite (table `LoginThrottle`, shared with the retention purge). */
export function createLoginThrottleStore(prisma: PrismaClient): LoginThrottleStore {
  return {
    async takeAttempt(gates, now) {
      const params = [now.toISOString(), ...gateParams(gates.address), ...gateParams(gates.pair), ...gateParams(gates.account)];
      const [row] = verdictSchema.parse(await prisma.$queryRawUnsafe(takeAttemptSql, ...params));
      if (!row) throw new Error('the login throttle returned no row');
      if (row.address !== null && row.pair !== null && row.account !== null) return { allowed: true, pairCount: row.pair };
      // The first gate that did not count the attempt is the closed one. Its wait comes from the
      // statement's snapshot, so under contention it may be a little short: at least a second.
      const gate: GateName = row.address === null ? 'address' : row.pair === null ? 'pair' : 'account';
      const wait = { address: row.addressWait, pair: row.pairWait, account: row.accountWait }[gate];
      return { allowed: false, gate, retryAfterMs: Math.max(1_000, Math.ceil(wait ?? 0)) };
    },
    async settleSuccess(gates, pairCount) {
      await prisma.$executeRawUnsafe(
        `WITH pair AS (DELETE FROM "LoginThrottle" WHERE key = $1::text AND failures = $2::int)
         UPDATE "LoginThrottle" SET failures = GREATEST(failures - 1, 0) WHERE key IN ($3::text, $4::text)`,
        gates.pair.key,
        pairCount,
        gates.address.key,
        gates.account.key,
      );
    },
  };
}
