import { createHash } from 'node:crypto';

/**
 * "P-3F2A91": stable for a conversation, reveals nothing about the person. A leaf: the referral
 * record shows it and the referral repository stores it in a clear column, so the console can
 * search by it while the record itself stays sealed.
 */
export function pseudonymFor(conversationId: string): string {
  return `P-${createHash('sha256').update(conversationId).digest('hex').slice(0, 6).toUpperCase()}`;
}
