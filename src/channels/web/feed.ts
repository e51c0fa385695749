import type { Logger } from 'pino';
import type { WireActivity } from './bridge.js';

/** What a Direct Line stream sends: activities in order and, when any is stored, the new watermark. */
export interface ActivitySet {
  activities: WireActivity[];
  watermark?: string;
}

export type FeedListener = (set: ActivitySet) => void;

/**
 * Live delivery of a conversation's activities to whoever is watching it right now (open
 * WebSockets). It carries no history: the transcript in the store is the record, and a
 * subscriber catches up from it by watermark.
 *
 * `conversationRef` is the Direct Line conversation id (the conversation's channelRef). An
 * implementation across instances (PostgreSQL LISTEN/NOTIFY) may deliver a set on other
 * instances a little later, but in publish order per conversation.
 *
 * @example
 * const unsubscribe = feed.subscribe(conversationId, (set) => socket.send(JSON.stringify(set)));
 * await feed.publish(conversationId, { activities: [activity], watermark: '4' });
 * unsubscribe();
 */
export interface ConversationFeed {
  subscribe(conversationRef: string, listener: FeedListener): () => void;
  publish(conversationRef: string, set: ActivitySet): Promise<void>;
  close(): Promise<void>;
}

/** The feed within one process: enough for a single instance. */
export class InProcessConversationFeed implements ConversationFeed {
  private readonly listeners = new Map<string, Set<FeedListener>>();

  constructor(private readonly logger: Logger) {}

  subscribe(conversationRef: string, listener: FeedListener): () => void {
    let set = this.listeners.get(conversationRef);
    if (!set) this.listeners.set(conversationRef, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(conversationRef) === set) this.listeners.delete(conversationRef);
    };
  }

  publish(conversationRef: string, activitySet: ActivitySet): Promise<void> {
    for (const listener of [...(this.listeners.get(conversationRef) ?? [])]) {
      try {
        listener(activitySet);
      } catch (error) {
        // One broken subscriber must not keep the others (or the turn) from going on.
        // Not the conversation id: it is what a stranger would need, with a token, to read the chat.
        this.logger.error({ err: error }, 'a live subscriber failed');
      }
    }
    return Promise.resolve();
  }

  /** Number of conversations being watched (for tests and health). */
  get watched(): number {
    return this.listeners.size;
  }

  close(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }
}
