import type { Logger } from 'pino';
import type { HandoffPort } from '../conversation/turn-processor.js';
import type { ReferralRepository } from '../store/repositories/referrals.js';
import type { HandoffService } from './service.js';

/** Most severe first: one turn may raise several reasons (a child alone who also feels unsafe). */
const SEVERITY = ['safety_concern', 'unaccompanied_minor', 'pressure', 'intake_completed', 'client_request'];

export function mostSevere(reasons: readonly string[]): string {
  const known = SEVERITY.find((reason) => reasons.includes(reason));
  return known ?? reasons[0] ?? 'client_request';
}

/** Connects the turn processor to the handoff service. */
export function createTurnHandoffPort(service: HandoffService, referrals: ReferralRepository, logger: Logger): HandoffPort {
  return {
    async handoffRequested(conversation, reasons, options = {}) {
      const { notice, stored, referral, created, emergency } = await service.handoffRequested(conversation, mostSevere(reasons), options);
      logger.info({ conversationId: conversation.id, referralId: referral.id, created, priority: referral.priority }, 'handoff requested');
      // Emergency numbers first: the person reads them before where they are in the queue.
      const messages = [...(emergency ? [emergency.notice] : []), ...(notice ? [notice] : [])];
      const storedMessages = [...(emergency?.stored ? [emergency.stored] : []), ...(stored ? [stored] : [])];
      return { messages, stored: storedMessages };
    },
    emergencyHelp: (conversation, category) => service.emergencyHelp(conversation, category),
    async handoffCancelled(conversation) {
      // The engine's reply of this turn already told the person, in order with the question it repeats.
      const result = await service.cancelByPerson(conversation.id, { tellPerson: false });
      if (result.ok) logger.info({ conversationId: conversation.id, referralId: result.value.id }, 'handoff cancelled by the person');
      else logger.info({ conversationId: conversation.id, reason: result.reason }, 'nothing to cancel: no open referral');
      return result.ok;
    },
    async clientMessageForCounsellor(conversation, stored, text) {
      const referral = await referrals.findOpenByConversation(conversation.id);
      service.clientMessageForCounsellor(conversation, stored, text, referral?.id ?? null);
    },
  };
}
