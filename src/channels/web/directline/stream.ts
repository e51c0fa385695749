import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { HttpError } from '../../../http/errors.js';
import type { ConversationRepository, StoredConversation } from '../../../store/repositories/conversations.js';
import { seqOfActivityId, storedToActivity, watermarkSchema, type TextDirection, type WireActivity } from '../bridge.js';
import type { ActivitySet, ConversationFeed } from '../feed.js';
import type { LogRefOf } from '../log-ref.js';
import type { Authoriser } from './auth.js';
import { activityPageSize } from './router.js';

const streamPath = /^\/v3\/directline\/conversations\/([\w-]{1,64})\/stream$/;

export const streamQuerySchema = z.object({ t: z.string().min(1).max(4096), watermark: z.union([z.literal('').transform(() => undefined), watermarkSchema]) });

/**
 * The HTTP server stops watching a socket once it emits 'upgrade': until ws takes it over (after
 * the token check), a reset from the client would be an unhandled 'error' that ends the process.
 */
export function guardRawSocket(socket: Duplex, logger: Logger): void {
  socket.on('error', (error: Error & { code?: string }) => {
    logger.debug({ code: error.code ?? 'unknown' }, 'a socket failed before or during its WebSocket upgrade');
    socket.destroy();
  });
}

/** An empty ActivitySet: DirectLineJS and our widget both read it as "still here". */
const keepAliveFrame = JSON.stringify({ activities: [] });

export interface StreamDeps {
  authoriser: Authoriser;
  conversations: ConversationRepository;
  feed: ConversationFeed;
  directionOf(locale: string): TextDirection;
  logger: Logger;
  /** How log lines name a conversation: never its id, which is in the stream's URL next to its token. */
  logRef: LogRefOf;
  keepAliveMs?: number;
}

export interface DirectLineStream {
  /** Takes the upgrade if it is a Direct Line stream URL; false leaves the socket to others. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Closes every open stream (shutdown). */
  close(): Promise<void>;
}

/**
 * The WebSocket at a conversation's streamUrl: first the transcript after the watermark, then
 * every new activity as it is published, each stored activity exactly once (by its seq).
 */
export function createDirectLineStream(deps: StreamDeps): DirectLineStream {
  const server = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const keepAliveMs = deps.keepAliveMs ?? 15_000;

  const refuse = (socket: Duplex, status: number, message: string) => {
    const reason = status === 404 ? 'Not Found' : status === 403 ? 'Forbidden' : status === 401 ? 'Unauthorized' : 'Bad Request';
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${message}`, () => socket.destroy());
  };

  const accept = async (req: IncomingMessage, socket: Duplex, head: Buffer, conversationId: string, url: URL) => {
    const query = streamQuerySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) return refuse(socket, 400, 'the stream needs ?t=<token>');
    let conversation: StoredConversation;
    try {
      const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
      const caller = await deps.authoriser.callerFromCredential(query.data.t, origin);
      if (caller.via !== 'token') return refuse(socket, 403, 'the stream needs a token');
      conversation = await deps.authoriser.conversation(caller, conversationId);
    } catch (error) {
      if (error instanceof HttpError) return refuse(socket, error.status, error.message);
      throw error;
    }
    server.handleUpgrade(req, socket, head, (ws) => {
      // ws closes the socket itself with the fitting code (1009 too big, 1007 invalid UTF-8, 1002
      // protocol error) and then emits 'error': without this listener that error ends the process.
      ws.on('error', (error: Error & { code?: string }) => {
        deps.logger.warn(
          { code: error.code ?? 'unknown', conversationId: conversation.id },
          'Direct Line stream: the client broke the WebSocket protocol; closed',
        );
      });
      void serve(ws, conversation, conversationId, query.data.watermark).catch((error: unknown) => {
        deps.logger.error({ err: error, conversationId: conversation.id }, 'Direct Line stream failed');
        ws.close(1011);
      });
    });
  };

  const serve = async (ws: WebSocket, conversation: StoredConversation, conversationId: string, watermark: number | undefined) => {
    let lastSeq = watermark ?? -1;
    const view = { conversationId, directionOf: deps.directionOf };
    const send = (activities: WireActivity[]) => {
      const fresh = activities.filter((activity) => {
        const seq = seqOfActivityId(activity.id);
        return seq === null || seq > lastSeq;
      });
      if (fresh.length === 0 || ws.readyState !== ws.OPEN) return;
      for (const activity of fresh) lastSeq = Math.max(lastSeq, seqOfActivityId(activity.id) ?? lastSeq);
      ws.send(JSON.stringify({ activities: fresh, ...(lastSeq >= 0 ? { watermark: String(lastSeq) } : {}) }));
    };
    /** Sends the transcript after what this stream sent, page by page: the store is the record. */
    const catchUp = async () => {
      for (;;) {
        const page = await deps.conversations.listMessages(conversation.id, { afterSeq: lastSeq, limit: activityPageSize });
        const activities = page.map((message) => storedToActivity(message, view)).filter((item): item is WireActivity => item !== null);
        if (activities.length > 0) send(activities);
        // Stored messages that are not activities (the start) still move the watermark.
        const pageLast = page.at(-1)?.seq;
        if (pageLast !== undefined) lastSeq = Math.max(lastSeq, pageLast);
        if (page.length < activityPageSize || ws.readyState !== ws.OPEN) break;
      }
    };
    /**
     * A published set, in publish order. Its stored activities go out as they are when they follow
     * on what was sent; when they do not (another instance stored some in between, or the set only
     * says where the transcript reaches now: a notification from another instance), the stream
     * reads what it misses from the store first, so each stored activity goes out once, in order.
     */
    const deliver = async (set: ActivitySet) => {
      const seqs = set.activities.map((activity) => seqOfActivityId(activity.id)).filter((seq): seq is number => seq !== null);
      const reaches = Math.max(set.watermark !== undefined ? Number(set.watermark) : -1, ...seqs);
      const follows = seqs.length > 0 && Math.min(...seqs) <= lastSeq + 1;
      if (reaches > lastSeq && !follows) await catchUp();
      send(set.activities);
    };
    // Subscribe before reading the transcript, so nothing published in between is missed; every
    // set waits for the catch-up (and the set before it) to finish.
    let queue: Promise<void> = Promise.resolve();
    const enqueue = (task: () => Promise<void>) => {
      queue = queue.then(task).catch((error: unknown) => {
        deps.logger.error({ err: error, conversationId: conversation.id }, 'Direct Line stream failed');
        ws.close(1011);
      });
      return queue;
    };
    const unsubscribe = deps.feed.subscribe(conversationId, (set) => void enqueue(() => deliver(set)));
    const keepAlive = setInterval(() => ws.readyState === ws.OPEN && ws.send(keepAliveFrame), keepAliveMs);
    ws.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
    // Clients ping with empty frames; nothing they send on the stream is acted on.
    ws.on('message', () => undefined);
    await enqueue(catchUp);
  };

  return {
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://stream.invalid');
      const match = streamPath.exec(url.pathname);
      if (!match?.[1]) return false;
      const conversationId = match[1];
      guardRawSocket(socket, deps.logger);
      accept(req, socket, head, conversationId, url).catch((error: unknown) => {
        deps.logger.error({ err: error, conversation: deps.logRef(conversationId) }, 'Direct Line stream could not start');
        refuse(socket, 500, 'internal error');
      });
      return true;
    },
    async close() {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
