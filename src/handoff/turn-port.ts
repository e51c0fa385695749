import type { Logger } from 'pino';
import type { HandoffPort } from '../conversation/turn-processor.js';
import type { ReferralRepository } from '../store/repositories/referrals.js';
import type { HandoffService } from './service.js';

/** Most severe first: one turn may raise several reasons (a child alone who also feels unsafe). */
const SEVERITY = ['safety_concern', 'unaccompanied_minor', 'intake_completed', 'client_request'];

export function mostSevere(reasons: readonly string[]): string {
  const known = SEVERITY.find((reason) => reasons.includes(reason));
  return known ?? reasons[0] ?? 'client_request';
}

/** Connects the turn processor to the handoff service. */
export function createTurnHandoffPort(service: HandoffService, referrals: ReferralRepository, logger: Logger): HandoffPort {
  return {
    async handoffRequested(conversation, reasons) {
      const { notice, stored, referral, created } = await service.handoffRequested(conversation, mostSevere(reasons));
      logger.info({ conversationId: conversation.id, referralId: referral.id, created, priority: referral.priority }, 'handoff requested');
      return { messages: [notice], stored: stored ? [stored] : [] };
    },
    async clientMessageForCounsellor(conversation, stored, text) {
      const referral = await referrals.findOpenByConversation(conversation.id);
      service.clientMessageForCounsellor(conversation, stored, text, referral?.id ?? null);
    },
  };
}
