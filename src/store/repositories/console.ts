import type { PrismaClient } from '../generated/client.js';
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

export interface ThrottleState {
  failures: number;
  lockedUntil: Date | null;
}

export interface ConsoleRepository {
  findUserByEmail(email: string): Promise<ConsoleUser | null>;
  findUserById(id: string): Promise<ConsoleUser | null>;
  /** Null when the e-mail address is taken. */
  createUser(input: { organisationId: string; email: string; displayName?: string; passwordHash: string; role: UserRole }): Promise<ConsoleUser | null>;
  findOrganisationByKey(key: string): Promise<{ id: string; name: string } | null>;

  createSession(input: { userId: string; tokenHash: string; csrfToken: string; expiresAt: Date }): Promise<void>;
  /** The live session and its active user; expired sessions are deleted on sight. */
  findSession(tokenHash: string, now: Date): Promise<{ sessionId: string; csrfToken: string; user: ConsoleUser } | null>;
  deleteSession(tokenHash: string): Promise<void>;

  createApiKey(input: { userId: string; tokenHash: string; prefix: string }): Promise<void>;
  /** The key's active user, unless the key was revoked. */
  findApiKey(tokenHash: string, now: Date): Promise<{ keyId: string; user: ConsoleUser } | null>;

  throttleState(key: string): Promise<ThrottleState | null>;
  /**
   * Counts one failure in the window; from `maxFailures` on, the key is locked for `lockMs`.
   * A window older than `windowMs` starts again at one.
   */
  recordFailure(key: string, now: Date, options: { windowMs: number; maxFailures: number; lockMs: number }): Promise<ThrottleState>;
  clearThrottle(key: string): Promise<void>;

  audit(entry: AuditEntry): Promise<void>;
  listAudit(organisationId: string, limit?: number): Promise<StoredAuditEntry[]>;
}

const userColumns = { id: true, organisationId: true, email: true, displayName: true, role: true, active: true, passwordHash: true } as const;

/** Console users, their sessions and API keys, login throttling and the audit trail. */
export function createConsoleRepository(prisma: PrismaClient): ConsoleRepository {
  return {
    findUserByEmail: (email) => prisma.user.findUnique({ where: { email: email.toLowerCase() }, select: userColumns }),
    findUserById: async (id) => (isUuid(id) ? prisma.user.findUnique({ where: { id }, select: userColumns }) : null),
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
      return row.user.active ? { sessionId: row.id, csrfToken: row.csrfToken, user: row.user } : null;
    },
    async deleteSession(tokenHash) {
      await prisma.consoleSession.deleteMany({ where: { tokenHash } });
    },

    async createApiKey(input) {
      await prisma.apiKey.create({ data: input });
    },
    async findApiKey(tokenHash, now) {
      const row = await prisma.apiKey.findUnique({ where: { tokenHash }, include: { user: { select: userColumns } } });
      if (!row || row.revokedAt !== null || !row.user.active) return null;
      await prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
      return { keyId: row.id, user: row.user };
    },

    throttleState: (key) => prisma.loginThrottle.findUnique({ where: { key }, select: { failures: true, lockedUntil: true } }),
    async recordFailure(key, now, options) {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          return await prisma.$transaction(async (tx) => {
            const row = await tx.loginThrottle.findUnique({ where: { key } });
            const fresh = !row || now.getTime() - row.windowStart.getTime() > options.windowMs;
            const updated = fresh
              ? await tx.loginThrottle.upsert({
                  where: { key },
                  create: { key, failures: 1, windowStart: now },
                  update: { failures: 1, windowStart: now, lockedUntil: null },
                })
              : await tx.loginThrottle.update({ where: { key }, data: { failures: { increment: 1 } } });
            if (updated.failures < options.maxFailures) return { failures: updated.failures, lockedUntil: updated.lockedUntil };
            const locked = await tx.loginThrottle.update({ where: { key }, data: { lockedUntil: new Date(now.getTime() + options.lockMs) } });
            return { failures: locked.failures, lockedUntil: locked.lockedUntil };
          });
        } catch (error) {
          // Two first failures at once: one creates the row, the other counts again on it.
          if (!isUniqueViolation(error)) throw error;
        }
      }
      throw new Error('could not record a login failure');
    },
    async clearThrottle(key) {
      await prisma.loginThrottle.deleteMany({ where: { key } });
    },

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
