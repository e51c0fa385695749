import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { fromOutgoing, watermarkOf } from './bridge.js';
import type { ConversationFeed } from './feed.js';

/** `channelId` of conversations carried by our own Direct Line endpoints. */
export const directLineChannelId = 'directline';

/**
 * The Bot Framework adapter of our Direct Line endpoints: an incoming activity becomes a
 * TurnContext for the bot logic, and whatever the logic sends goes to the conversation's live
 * subscribers. The transcript is stored by the turn processor, so this adapter keeps nothing.
 */
export class DirectLineAdapter extends BotAdapter {
  constructor(private readonly feed: ConversationFeed) {
    super();
  }

  /** Runs `logic` for one client activity (already validated) and returns what it returned. */
  async processActivity<T>(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<T>): Promise<T> {
    const context = new TurnContext(this, activity);
    let result: { value: T } | undefined;
    await this.runMiddleware(context, async (turnContext) => {
      result = { value: await logic(turnContext) };
    });
    if (!result) throw new Error('a middleware ended the turn before the bot logic ran');
    return result.value;
  }

  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const byConversation = new Map<string, ReturnType<typeof fromOutgoing>[]>();
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      const wire = fromOutgoing(activity);
      if (!wire) {
        responses.push({ id: '' });
        continue;
      }
      responses.push({ id: wire.id });
      const list = byConversation.get(wire.conversation.id) ?? [];
      list.push(wire);
      byConversation.set(wire.conversation.id, list);
    }
    for (const [conversationId, list] of byConversation) {
      const wires = list.filter((item) => item !== null);
      const watermark = watermarkOf(wires);
      await this.feed.publish(conversationId, { activities: wires, ...(watermark !== undefined ? { watermark } : {}) });
    }
    return responses;
  }

  updateActivity(): Promise<void> {
    return Promise.reject(new Error('the Direct Line channel does not update sent activities'));
  }

  deleteActivity(): Promise<void> {
    return Promise.reject(new Error('the Direct Line channel does not delete sent activities'));
  }

  /**
   * Proactive messages (a counsellor's reply): `logic` gets a context bound to the saved
   * reference, and what it sends reaches whoever is connected to that conversation.
   *
   * @example
   * await adapter.continueConversation(reference, (context) => context.sendActivities(activities.map(toOutgoing)));
   */
  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
