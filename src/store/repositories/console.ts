import { z } from 'zod';
import type { PrismaClient } from '../generated/client.js';
import { createLoginThrottleStore, type AttemptVerdict, type LoginGates } from './login-throttle.js';
import { isUniqueViolation, isUuid, toOptionalJsonInput } from './records.js';

export type UserRole = 'counsellor' | 'admin';

export interface ConsoleUser {
  id: string;
  organisationId: string;
  email: string;
  displayName: string | null;
  role: UserRole;
  active: boolean;
  passwordHash: string;
}

export interface AuditEntry {
  organisationId: string | null;
  actorUserId: string | null;
  /** e.g. login_success, login_failure, referral_viewed, referral_exported, referral_claimed. */
  action: string;
  targetType?: string;
  targetId?: string;
  /** Never personal data or message texts: ids, reasons, formats. */
  data?: Record<string, string | number | boolean | null>;
}

export interface StoredAuditEntry extends AuditEntry {
  id: string;
  createdAt: Date;
}

/** A user as the admin's people page lists them (no password hash). */
export interface ListedUser {
  id: string;
  email: string;
  displayName: string | null;
  role: UserRole;
  active: boolean;
  createdAt: Date;
}

/** What an admin may change about a user of their organisation. */
export interface UserChange {
  role?: UserRole;
  active?: boolean;
  displayName?: string | null;
}

export type UserChangeResult =
  | { ok: true; user: ListedUser; before: ListedUser }
  | { ok: false; reason: 'not_found' }
  /** The change would leave the organisation without an active admin. */
  | { ok: false; reason: 'last_admin' };

/** An API key as listed: never its token or hash. */
export interface ListedApiKey {
  id: string;
  prefix: string;
  userId: string;
  userEmail: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface ConsoleRepository {
  findUserByEmail(email: string): Promise<ConsoleUser | null>;
  findUserById(id: string): Promise<ConsoleUser | null>;
  /** Console users of every organisation, active or not: none means the first-run setup is open (src/console/admin/setup-routes.ts). */
  countUsers(): Promise<number>;
  /** Null when the e-mail address is taken. */
  createUser(input: { organisationId: string; email: string; displayName?: string; passwordHash: string; role: UserRole }): Promise<ConsoleUser | null>;
  findOrganisationByKey(key: string): Promise<{ id: string; name: string } | null>;

  createSession(input: { userId: string; tokenHash: string; csrfToken: string; expiresAt: Date }): Promise<void>;
  /** The live session and its active user; expired sessions are deleted on sight. */
  findSession(tokenHash: string, now: Date): Promise<{ sessionId: string; csrfToken: string; expiresAt: Date; user: ConsoleUser } | null>;
  deleteSession(tokenHash: string): Promise<void>;

  createApiKey(input: { userId: string; tokenHash: string; prefix: string }): Promise<{ id: string }>;
  /** The key's active user, unless the key was revoked. */
  findApiKey(tokenHash: string, now: Date): Promise<{ keyId: string; user: ConsoleUser } | null>;

  /* People management (admins, scoped to their organisation: another organisation's ids are "not found"). */
  listUsers(organisationId: string): Promise<ListedUser[]>;
  /**
   * Changes a user's role, active flag or display name in one transaction that locks the
   * organisation's active admins first (SELECT ... FOR UPDATE), so two admins demoting each other at
   * once cannot leave none. Deactivation deletes the user's sessions and revokes their API keys.
   */
  changeUser(organisationId: string, userId: string, change: UserChange, now: Date): Promise<UserChangeResult>;
  /** Sets a new password hash and deletes the user's sessions (but `keepSessionTokenHash`, the caller's own). False when not found. */
  setPassword(organisationId: string, userId: string, passwordHash: string, keepSessionTokenHash?: string): Promise<boolean>;
  listApiKeys(organisationId: string): Promise<ListedApiKey[]>;
  /** Marks the key revoked from `now` on; `findApiKey` refuses it from then on. */
  revokeApiKey(organisationId: string, keyId: string, now: Date): Promise<'revoked' | 'already_revoked' | 'not_found'>;
  /**
   * Deletes expired sessions and login throttles that no longer hold anything: unlocked (or lock
   * over) and last counted before `now - throttleStaleMs`. Run by the retention job.
   */
  purgeExpiredLogins(now: Date, throttleStaleMs: number): Promise<{ sessions: number; throttles: number }>;

  /** Counts a login attempt before its password is checked, in one statement (src/store/repositories/login-throttle.ts). */
  takeLoginAttempt(gates: LoginGates, now: Date): Promise<AttemptVerdict>;
  /** After a right password: gives the attempt back and resets the pair, unless others were counted meanwhile. */
  settleLoginSuccess(gates: LoginGates, pairCount: number): Promise<void>;

  audit(entry: AuditEntry): Promise<void>;
  listAudit(organisationId: string, limit?: number): Promise<StoredAuditEntry[]>;
}

const userColumns = { id: true, organisationId: true, email: true, displayName: true, role: true, active: true, passwordHash: true } as const;
const listedUserColumns = { id: true, email: true, displayName: true, role: true, active: true, createdAt: true } as const;
const lockedIdsSchema = z.array(z.object({ id: z.string() }));

/** Console users, their sessions and API keys, login throttling and the audit trail. */
export function createConsoleRepository(prisma: PrismaClient): ConsoleRepository {
  const throttle = createLoginThrottleStore(prisma);
  return {
    findUserByEmail: (email) => prisma.user.findUnique({ where: { email: email.toLowerCase() }, select: userColumns }),
    findUserById: async (id) => (isUuid(id) ? prisma.user.findUnique({ where: { id }, select: userColumns }) : null),
    countUsers: () => prisma.user.count(),
    async createUser(input) {
      try {
        return await prisma.user.create({ data: { ...input, email: input.email.toLowerCase() }, select: userColumns });
      } catch (error) {
        if (isUniqueViolation(error)) return null;
        throw error;
      }
    },
    findOrganisationByKey: (key) => prisma.organisation.findUnique({ where: { widgetKey: key }, select: { id: true, name: true } }),

    async createSession(input) {
      await prisma.consoleSession.create({ data: input });
    },
    async findSession(tokenHash, now) {
      const row = await prisma.consoleSession.findUnique({ where: { tokenHash }, include: { user: { select: userColumns } } });
      if (!row) return null;
      if (row.expiresAt <= now) {
        await prisma.consoleSession.deleteMany({ where: { id: row.id } });
        return null;
      }
      return row.user.active ? { sessionId: row.id, csrfToken: row.csrfToken, expiresAt: row.expiresAt, user: row.user } : null;
    },
    async deleteSession(tokenHash) {
      await prisma.consoleSession.deleteMany({ where: { tokenHash } });
    },

    createApiKey: (input) => prisma.apiKey.create({ data: input, select: { id: true } }),
    async findApiKey(tokenHash, now) {
      const row = await prisma.apiKey.findUnique({ where: { tokenHash }, include: { user: { select: userColumns } } });
      if (!row || row.revokedAt !== null || !row.user.active) return null;
      await prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
      return { keyId: row.id, user: row.user };
    },

    async listUsers(organisationId) {
      if (!isUuid(organisationId)) return [];
      return prisma.user.findMany({ where: { organisationId }, select: listedUserColumns, orderBy: [{ createdAt: 'asc' }, { email: 'asc' }] });
    },
    async changeUser(organisationId, userId, change, now) {
      if (!isUuid(organisationId) || !isUuid(userId)) return { ok: false, reason: 'not_found' };
      return prisma.$transaction(async (tx) => {
        // Lock every active admin of the organisation before looking: a concurrent demotion waits
        // here, then sees this one's outcome (READ COMMITTED re-checks locked rows), so the count
        // below cannot be stale. The target is read after the lock for the same reason.
        const admins = lockedIdsSchema.parse(
          await tx.$queryRaw`SELECT id::text AS id FROM "User" WHERE "organisationId" = ${organisationId}::uuid AND role = 'admin'::"UserRole" AND active ORDER BY id FOR UPDATE`,
        );
        const before = await tx.user.findFirst({ where: { id: userId, organisationId }, select: listedUserColumns });
        if (!before) return { ok: false, reason: 'not_found' } as const;
        const staysActiveAdmin = (change.role ?? before.role) === 'admin' && (change.active ?? before.active);
        if (before.role === 'admin' && before.active && !staysActiveAdmin && admins.every((admin) => admin.id === before.id)) {
          return { ok: false, reason: 'last_admin' } as const;
        }
        const user = await tx.user.update({
          where: { id: userId },
          data: {
            ...(change.role !== undefined ? { role: change.role } : {}),
            ...(change.active !== undefined ? { active: change.active } : {}),
            ...(change.displayName !== undefined ? { displayName: change.displayName } : {}),
          },
          select: listedUserColumns,
        });
        if (change.active === false) {
          // At once, not at the next request's active check only: a reactivation must not bring them back.
          await tx.consoleSession.deleteMany({ where: { userId } });
          await tx.apiKey.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
        }
        return { ok: true, user, before } as const;
      });
    },
    async setPassword(organisationId, userId, passwordHash, keepSessionTokenHash) {
      if (!isUuid(organisationId) || !isUuid(userId)) return false;
      return prisma.$transaction(async (tx) => {
        const updated = await tx.user.updateMany({ where: { id: userId, organisationId }, data: { passwordHash } });
        if (updated.count === 0) return false;
        await tx.consoleSession.deleteMany({ where: { userId, ...(keepSessionTokenHash ? { tokenHash: { not: keepSessionTokenHash } } : {}) } });
        return true;
      });
    },
    async listApiKeys(organisationId) {
      if (!isUuid(organisationId)) return [];
      const rows = await prisma.apiKey.findMany({
        where: { user: { organisationId } },
        select: { id: true, prefix: true, userId: true, createdAt: true, lastUsedAt: true, revokedAt: true, user: { select: { email: true } } },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      });
      return rows.map(({ user, ...key }) => ({ ...key, userEmail: user.email }));
    },
    async revokeApiKey(organisationId, keyId, now) {
      if (!isUuid(organisationId) || !isUuid(keyId)) return 'not_found';
      const revoked = await prisma.apiKey.updateMany({ where: { id: keyId, user: { organisationId }, revokedAt: null }, data: { revokedAt: now } });
      if (revoked.count > 0) return 'revoked';
      return (await prisma.apiKey.count({ where: { id: keyId, user: { organisationId } } })) > 0 ? 'already_revoked' : 'not_found';
    },
    async purgeExpiredLogins(now, throttleStaleMs) {
      const sessions = await prisma.consoleSession.deleteMany({ where: { expiresAt: { lte: now } } });
      const throttles = await prisma.loginThrottle.deleteMany({
        where: {
          windowStart: { lt: new Date(now.getTime() - throttleStaleMs) },
          OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }],
        },
      });
      return { sessions: sessions.count, throttles: throttles.count };
    },

    takeLoginAttempt: (gates, now) => throttle.takeAttempt(gates, now),
    settleLoginSuccess: (gates, pairCount) => throttle.settleSuccess(gates, pairCount),

    async audit(entry) {
      await prisma.auditEvent.create({
        data: {
          organisationId: entry.organisationId,
          actorUserId: entry.actorUserId,
          action: entry.action,
          targetType: entry.targetType ?? null,
          targetId: entry.targetId ?? null,
          data: toOptionalJsonInput(entry.data),
        },
      });
    },
    async listAudit(organisationId, limit = 100) {
      if (!isUuid(organisationId)) return [];
      const rows = await prisma.auditEvent.findMany({ where: { organisationId }, orderBy: { createdAt: 'desc' }, take: limit });
      return rows.map((row) => ({
        id: row.id,
        organisationId: row.organisationId,
        actorUserId: row.actorUserId,
        action: row.action,
        ...(row.targetType ? { targetType: row.targetType } : {}),
        ...(row.targetId ? { targetId: row.targetId } : {}),
        ...(isFlatRecord(row.data) ? { data: row.data } : {}),
        createdAt: row.createdAt,
      }));
    },
  };
}

function isFlatRecord(value: unknown): value is Record<string, string | number | boolean | null> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((item) => item === null || ['string', 'number', 'boolean'].includes(typeof item))
  );
}
