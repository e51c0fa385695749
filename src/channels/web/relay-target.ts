import type { ChatStatus, WebRelayTarget } from '../../handoff/relay.js';
import type { StoredConversation, StoredMessage } from '../../store/repositories/conversations.js';
import { botAccount, liveActivityId, storedToActivity, watermarkOf, type TextDirection, type WireActivity } from './bridge.js';
import type { ConversationFeed } from './feed.js';
import type { ProactiveSender } from './proactive.js';

/** Name of the event activity telling the widget who answers now. */
export const conversationStatusEvent = 'conversation.status';

/**
 * The web channel as the handoff relay sees it: stored messages through the conversation's saved
 * reference (Direct Line or Azure), and a live-only `conversation.status` event for the widget.
 *
 * @example
 * { type: 'event', name: 'conversation.status', value: { status: 'human', referralStatus: 'claimed' } }
 */
export function webRelayTarget(deps: { feed: ConversationFeed; proactive: ProactiveSender; directionOf(locale: string): TextDirection }): WebRelayTarget {
  return {
    async deliver(conversation: StoredConversation, messages: readonly StoredMessage[]) {
      const result = await deps.proactive.deliver(conversation, messages);
      if (result === 'sent') return;
      // A conversation without a saved reference still has Direct Line streams keyed by its channelRef.
      const view = { conversationId: conversation.channelRef, directionOf: deps.directionOf };
      const activities = messages.map((message) => storedToActivity(message, view)).filter((item): item is WireActivity => item !== null);
      const watermark = watermarkOf(activities);
      await deps.feed.publish(conversation.channelRef, { activities, ...(watermark !== undefined ? { watermark } : {}) });
    },
    async announce(conversation: StoredConversation, status: ChatStatus, detail: { referralStatus: string }) {
      const activity: WireActivity = {
        type: 'event',
        id: liveActivityId(conversation.channelRef),
        timestamp: new Date().toISOString(),
        channelId: 'directline',
        conversation: { id: conversation.channelRef },
        from: { ...botAccount },
        name: conversationStatusEvent,
        value: { status, referralStatus: detail.referralStatus },
      };
      await deps.feed.publish(conversation.channelRef, { activities: [activity] });
    },
  };
}
