// Notices that a console credential stopped being valid, for whatever holds a connection open on
// it (the live event stream): a request re-checks its credential anyway, a stream must be told.
import { z } from 'zod';

const id = z.uuid();
const hash = z.string().regex(/^[0-9a-f]{64}$/);

/** What another instance may send us: checked like any input from outside. */
export const revocationSchema = z.discriminatedUnion('kind', [
  /** One session ended: logout. */
  z.strictObject({ kind: z.literal('session'), tokenHash: hash }),
  /** Every session of a user but the one they are using (a password change). */
  z.strictObject({ kind: z.literal('user_sessions'), userId: id, keepTokenHash: hash.optional() }),
  /** Everything of a user, sessions and API keys: deactivated. */
  z.strictObject({ kind: z.literal('user'), userId: id }),
  /** One API key revoked. */
  z.strictObject({ kind: z.literal('api_key'), keyId: id }),
]);

export type Revocation = z.infer<typeof revocationSchema>;

/** The credential a connection was opened with, as `authenticate()` found it. */
export type Credential =
  | { via: 'session'; userId: string; tokenHash: string; expiresAt: Date }
  | { via: 'api_key'; userId: string; tokenHash: string; keyId: string };

/**
 * Revocation notices of every instance: `publish` tells this process's listeners at once and,
 * on PostgreSQL, the other instances (src/console/auth/pg-revocations.ts).
 */
export interface Revocations {
  publish(notice: Revocation): void;
  /** Returns the function that stops listening. */
  subscribe(listener: (notice: Revocation) => void): () => void;
}

export interface ClosableRevocations extends Revocations {
  close(): Promise<void>;
}

/**
 * Whether a notice ends a credential.
 * @example revokes({ kind: 'user', userId: anna.id }, annasKeyCredential) // true
 */
export function revokes(notice: Revocation, credential: Credential): boolean {
  switch (notice.kind) {
    case 'session':
      return credential.via === 'session' && credential.tokenHash === notice.tokenHash;
    case 'user_sessions':
      return credential.via === 'session' && credential.userId === notice.userId && credential.tokenHash !== notice.keepTokenHash;
    case 'user':
      return credential.userId === notice.userId;
    case 'api_key':
      return credential.via === 'api_key' && credential.keyId === notice.keyId;
    default: {
      const unknown: never = notice;
      throw new Error(`unknown revocation ${JSON.stringify(unknown)}`);
    }
  }
}

/** Notices within one process (embedded PGlite, tests); a failing listener does not stop the others. */
export function createInProcessRevocations(onListenerError: (error: unknown) => void = () => undefined): ClosableRevocations {
  const listeners = new Set<(notice: Revocation) => void>();
  return {
    publish(notice) {
      for (const listener of [...listeners]) {
        try {
          listener(notice);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => listeners.clear(),
  };
}
