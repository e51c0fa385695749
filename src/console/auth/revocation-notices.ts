import type { ConsoleRepository } from '../../store/repositories/console.js';
import type { Revocations } from './revocations.js';

/**
 * The console repository, announcing every credential it ends: logout, a password change or
 * reset, a deactivation, a revoked API key. Wrapping the repository (rather than each route)
 * means no route that ends a credential can forget to say so.
 *
 * @example
 * const consoleRepository = withRevocationNotices(createConsoleRepository(prisma), revocations);
 */
export function withRevocationNotices(repository: ConsoleRepository, revocations: Revocations): ConsoleRepository {
  return {
    ...repository,
    async deleteSession(tokenHash) {
      await repository.deleteSession(tokenHash);
      revocations.publish({ kind: 'session', tokenHash });
    },
    async setPassword(organisationId, userId, passwordHash, keepSessionTokenHash) {
      const changed = await repository.setPassword(organisationId, userId, passwordHash, keepSessionTokenHash);
      if (changed)
        revocations.publish({ kind: 'user_sessions', userId: userId.toLowerCase(), ...(keepSessionTokenHash ? { keepTokenHash: keepSessionTokenHash } : {}) });
      return changed;
    },
    async changeUser(organisationId, userId, change, now) {
      const result = await repository.changeUser(organisationId, userId, change, now);
      if (result.ok && !result.user.active) revocations.publish({ kind: 'user', userId: result.user.id });
      return result;
    },
    async revokeApiKey(organisationId, keyId, now) {
      const outcome = await repository.revokeApiKey(organisationId, keyId, now);
      if (outcome === 'revoked') revocations.publish({ kind: 'api_key', keyId: keyId.toLowerCase() });
      return outcome;
    },
  };
}
