import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { StoredConversation, StoredMessage } from '../../store/repositories/conversations.js';
import { directLineChannelId, type DirectLineAdapter } from './adapter.js';
import { savedReferenceSchema, toConversationReference } from './bot.js';
import { storedToActivity, toOutgoing, type TextDirection, type WireActivity } from './bridge.js';

export type ProactiveResult = 'sent' | 'no_reference' | 'no_adapter';

/**
 * Messages that answer no client message (a counsellor's reply, a reminder), already stored in
 * the transcript, delivered through the conversation's saved reference: to the open Direct Line
 * stream, or through Azure Bot Service.
 *
 * @example
 * const result = await web.proactive.deliver(conversation, [counsellorMessage]); // 'sent'
 */
export interface ProactiveSender {
  deliver(conversation: StoredConversation, messages: readonly StoredMessage[]): Promise<ProactiveResult>;
}

export function createProactiveSender(deps: {
  directLine: DirectLineAdapter;
  azure?: { adapter: CloudAdapter; appId: string };
  directionOf(locale: string): TextDirection;
}): ProactiveSender {
  return {
    async deliver(conversation, messages) {
      const saved = savedReferenceSchema.safeParse(conversation.channelData);
      if (!saved.success) return 'no_reference';
      const reference = toConversationReference(saved.data.conversationReference);
      const view = { conversationId: saved.data.conversationReference.conversation.id, directionOf: deps.directionOf };
      const activities = messages.map((message) => storedToActivity(message, view)).filter((item): item is WireActivity => item !== null);
      const logic = async (context: TurnContext) => {
        await context.sendActivities(activities.map(toOutgoing));
      };
      if (saved.data.conversationReference.channelId === directLineChannelId) {
        await deps.directLine.continueConversation(reference, logic);
        return 'sent';
      }
      if (!deps.azure) return 'no_adapter';
      await deps.azure.adapter.continueConversationAsync(deps.azure.appId, reference, logic);
      return 'sent';
    },
  };
}
