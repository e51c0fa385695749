import type { Logger } from 'pino';
import type { HandoffEvents } from '../handoff/events.js';
import type { PrivacyRepository } from '../store/repositories/privacy.js';

export interface ErasureDeps {
  privacy: PrivacyRepository;
  events: HandoffEvents;
  logger: Logger;
  clock?: () => Date;
}

/**
 * A person's "delete my data" (`/forget` on Telegram, the widget's button), after they confirmed:
 * everything about them goes in one transaction, the audit keeps only that it happened, and open
 * console views of their referrals are told to close.
 *
 * @example
 * const erasure = new Erasure({ privacy, events, logger });
 * await erasure.erase(conversation.id); // true when there was something to delete
 */
export class Erasure {
  constructor(private readonly deps: ErasureDeps) {}

  async erase(conversationId: string): Promise<boolean> {
    const erased = await this.deps.privacy.eraseConversation(conversationId, (this.deps.clock ?? (() => new Date()))());
    if (!erased) return false;
    this.deps.events.publish({
      type: 'conversation_erased',
      organisationId: erased.organisationId,
      conversationId: erased.conversationId,
      referralIds: erased.referralIds,
    });
    this.deps.logger.info({ organisationId: erased.organisationId, referrals: erased.referralIds.length }, 'a person erased their data');
    return true;
  }
}
