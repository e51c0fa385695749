import { createHmac } from 'node:crypto';

/** Names a Direct Line conversation in logs: stable, so lines of one conversation can be followed, and useless as a credential. */
export type LogRefOf = (conversationId: string) => string;

/**
 * A keyed hash of a Direct Line conversation id for log lines. The id itself never goes into a log:
 * whoever reads logs must not be able to open anyone's chat with it. Instances sharing the secret
 * name a conversation alike, so its lines can be followed across them.
 *
 * @example
 * const logRef = createLogRef(config.tokenSecret);
 * logger.warn({ conversation: logRef(conversationId) }, 'stream closed');  // conversation: 'dl_4f0c…'
 */
export function createLogRef(secret: string): LogRefOf {
  const key = createHmac('sha256', secret).update('homeward/log-reference').digest();
  return (conversationId) => `dl_${createHmac('sha256', key).update(conversationId).digest('base64url').slice(0, 16)}`;
}
