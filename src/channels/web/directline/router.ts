// Direct Line 3.0 (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-direct-line-3-0-api-reference),
// enough of it for DirectLineJS, Web Chat and our widget. Zod schemas sit beside their handlers.
import { randomBytes } from 'node:crypto';
import type { Activity } from 'botbuilder';
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { HttpError } from '../../../http/errors.js';
import { refuseRateLimited, type TokenBuckets } from '../../../http/rate-limit.js';
import type { ConversationRepository, StoredConversation } from '../../../store/repositories/conversations.js';
import { directLineChannelId, type DirectLineAdapter } from '../adapter.js';
import type { WebBot, WebTurnResult } from '../bot.js';
import { botAccount, describeIssues, incomingActivitySchema, storedToActivity, watermarkSchema, type TextDirection, type WireActivity } from '../bridge.js';
import type { TokenGrant, TokenService } from '../tokens.js';
import { acceptedLanguages } from './accept-language.js';
import type { Authoriser, Caller } from './auth.js';

/** Largest activity body accepted; a message's text is limited further by the inbound schema. */
export const maxActivityBytes = 32 * 1024;
/** Activities per GET; a client with more to fetch asks again from the returned watermark. */
export const activityPageSize = 100;
/** `serviceUrl` of our Direct Line conversation references: internal, never called. */
export const directLineServiceUrl = 'urn:homeward:directline';

export interface DirectLineRouterDeps {
  authoriser: Authoriser;
  tokens: TokenService;
  conversations: ConversationRepository;
  adapter: DirectLineAdapter;
  bot: WebBot;
  directionOf(locale: string): TextDirection;
  /** PUBLIC_URL: stream URLs point there; otherwise at the Host the request came to. */
  publicUrl?: string;
  /**
   * Posts per conversation, taken only once the caller proved it holds that conversation's token:
   * a stranger who knows (or guesses) an id cannot use up the person's budget.
   */
  perConversation?: TokenBuckets;
  clock?: () => number;
}

// DirectLineJS sends `{ user: {} }` when the page set no user id.
const userSchema = z.object({
  id: z
    .string()
    .trim()
    .min(1)
    .max(128)
    .regex(/^[\w.:@-]+$/, 'user.id may hold letters, digits and . _ : @ -')
    .optional(),
});

export const generateTokenBodySchema = z.object({ user: userSchema.optional(), resume: z.string().min(1).max(4096).optional() });
export const startConversationBodySchema = z.object({ user: userSchema.optional(), locale: z.string().min(2).max(35).optional() });
export const conversationParamsSchema = z.object({
  conversationId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\w-]+$/, 'unknown conversation id'),
});
export const watermarkQuerySchema = z.object({ watermark: z.union([z.literal('').transform(() => undefined), watermarkSchema]) });
export const languageHeadersSchema = z.object({ 'accept-language': z.string().max(1000).optional() });

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new HttpError(400, `${what}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** A new Direct Line conversation id: 128 random bits. It names a conversation; only its token opens it. */
function newConversationId(): string {
  return randomBytes(16).toString('base64url');
}

function newUserId(): string {
  return `dl_${randomBytes(9).toString('base64url')}`;
}

export function createDirectLineRouter(deps: DirectLineRouterDeps): Router {
  const router = Router();
  router.use(express.json({ limit: maxActivityBytes }));

  const clock = deps.clock ?? Date.now;
  /** A fresh token for the conversation a token names (conversation routes take nothing else). */
  const grantFor = (caller: Extract<Caller, { via: 'token' }>): TokenGrant => ({
    organisationId: caller.organisation.id,
    conversationId: caller.claims.conversationId,
    userId: caller.claims.userId,
  });
  const tokenCaller = (caller: Caller, route: string): Extract<Caller, { via: 'token' }> => {
    if (caller.via !== 'token') throw new HttpError(403, `${route} needs a token`);
    return caller;
  };

  const streamUrl = (req: Request, conversationId: string, token: string, watermark?: number) => {
    const base = deps.publicUrl ? deps.publicUrl.replace(/^http/, 'ws') : `${req.protocol === 'https' ? 'wss' : 'ws'}://${req.get('host') ?? 'localhost'}`;
    const query = new URLSearchParams({ t: token, ...(watermark !== undefined ? { watermark: String(watermark) } : {}) });
    return `${base}${req.baseUrl}/conversations/${encodeURIComponent(conversationId)}/stream?${query.toString()}`;
  };

  const incoming = (conversationId: string, userId: string, extra: Partial<Activity>): Partial<Activity> => ({
    ...extra,
    channelId: directLineChannelId,
    serviceUrl: directLineServiceUrl,
    conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
    from: { id: userId, name: '', role: 'user' },
    recipient: { ...botAccount, name: 'Homeward' },
    timestamp: new Date(),
  });

  /** The conversation `caller` was authorised for, when loaded already, spares the turn reading it again (null: there is none yet). */
  const run = (
    activity: Partial<Activity>,
    caller: Caller,
    conversationId: string,
    preferredLocales: readonly string[],
    known?: StoredConversation | null,
  ): Promise<WebTurnResult> =>
    deps.adapter.processActivity(activity, (context) =>
      deps.bot.handle(context, {
        organisationId: caller.organisation.id,
        channelRef: conversationId,
        preferredLocales,
        echo: true,
        ...(known !== undefined ? { known } : {}),
      }),
    );

  // The widget key buys a token (and a resume ticket) for a new conversation, or, with a resume
  // ticket, a fresh token for the conversation the ticket names.
  router.post('/tokens/generate', async (req, res) => {
    const caller = await deps.authoriser.caller(req.headers);
    if (caller.via !== 'key') throw new HttpError(403, 'tokens/generate needs the widget key');
    const body = parse(generateTokenBodySchema, req.body, 'body');
    let grant: TokenGrant;
    if (body.resume !== undefined) {
      const verified = deps.tokens.verify(body.resume, 'resume');
      if (verified.status === 'fail' || verified.claims.organisationId !== caller.organisation.id)
        throw new HttpError(403, 'the resume ticket is invalid or expired');
      const conversation = await deps.conversations.findByChannelRef('web', verified.claims.conversationId);
      if (!conversation || conversation.organisationId !== caller.organisation.id) throw new HttpError(404, 'conversation not found');
      grant = { organisationId: caller.organisation.id, conversationId: verified.claims.conversationId, userId: verified.claims.userId };
    } else {
      grant = { organisationId: caller.organisation.id, conversationId: newConversationId(), userId: body.user?.id ?? newUserId() };
    }
    const { token, expiresIn } = deps.tokens.issueToken(grant);
    res.json({ conversationId: grant.conversationId, token, expires_in: expiresIn, resume: deps.tokens.issueResume(grant) });
  });

  router.post('/tokens/refresh', async (req, res) => {
    const caller = tokenCaller(await deps.authoriser.caller(req.headers), 'tokens/refresh');
    const { token, expiresIn } = deps.tokens.issueToken(grantFor(caller));
    res.json({ conversationId: caller.claims.conversationId, token, expires_in: expiresIn });
  });

  // Starts the token's conversation (the welcome is then in the stream) or resumes it.
  router.post('/conversations', async (req, res) => {
    const caller = await deps.authoriser.caller(req.headers);
    const body = parse(startConversationBodySchema, req.body, 'body');
    const headers = parse(languageHeadersSchema, req.headers, 'headers');
    const grant: TokenGrant =
      caller.via === 'token'
        ? grantFor(caller)
        : { organisationId: caller.organisation.id, conversationId: newConversationId(), userId: body.user?.id ?? newUserId() };
    const existing = await deps.conversations.findByChannelRef('web', grant.conversationId);
    if (existing && existing.organisationId !== caller.organisation.id) throw new HttpError(404, 'conversation not found');
    if (!existing) {
      const preferredLocales = [...(body.locale ? [body.locale] : []), ...acceptedLanguages(headers['accept-language'])];
      await run(
        incoming(grant.conversationId, grant.userId, { type: 'conversationUpdate', membersAdded: [{ id: grant.userId, name: '' }] }),
        caller,
        grant.conversationId,
        preferredLocales,
        null,
      );
    }
    const { token, expiresIn } = deps.tokens.issueToken(grant);
    res.status(existing ? 200 : 201).json({
      conversationId: grant.conversationId,
      token,
      expires_in: expiresIn,
      streamUrl: streamUrl(req, grant.conversationId, token),
      resume: deps.tokens.issueResume(grant),
    });
  });

  // Reconnect: a new stream URL that replays from the watermark.
  router.get('/conversations/:conversationId', async (req, res) => {
    const caller = await deps.authoriser.caller(req.headers);
    const { conversationId } = parse(conversationParamsSchema, req.params, 'path');
    const { watermark } = parse(watermarkQuerySchema, req.query, 'query');
    await deps.authoriser.conversation(caller, conversationId);
    const { token, expiresIn } = deps.tokens.issueToken(grantFor(tokenCaller(caller, 'reconnecting')));
    res.json({ conversationId, token, expires_in: expiresIn, streamUrl: streamUrl(req, conversationId, token, watermark) });
  });

  router.post('/conversations/:conversationId/activities', async (req, res) => {
    const caller = await deps.authoriser.caller(req.headers);
    const { conversationId } = parse(conversationParamsSchema, req.params, 'path');
    const conversation = await deps.authoriser.conversation(caller, conversationId);
    const taken = deps.perConversation?.take(conversation.id, clock());
    if (taken && !taken.ok) return refuseRateLimited(res, 'conversation', taken.retryAfterMs);
    const activity = parse(incomingActivitySchema, req.body, 'activity');
    const userId = tokenCaller(caller, 'posting').claims.userId;
    const { from: _claimed, ...posted } = activity.type === 'message' ? { ...activity, attachments: undefined } : activity;
    const result = await run(incoming(conversationId, userId, posted), caller, conversationId, [], conversation);
    if (result.status === 'rejected') throw new HttpError(400, `activity: ${result.reason}`);
    if (result.status === 'ignored') throw new HttpError(400, 'activity: nothing to do with it');
    res.json({ id: result.id });
  });

  router.get('/conversations/:conversationId/activities', async (req, res) => {
    const caller = await deps.authoriser.caller(req.headers);
    const { conversationId } = parse(conversationParamsSchema, req.params, 'path');
    const { watermark } = parse(watermarkQuerySchema, req.query, 'query');
    const conversation = await deps.authoriser.conversation(caller, conversationId);
    const messages = await deps.conversations.listMessages(conversation.id, {
      ...(watermark !== undefined ? { afterSeq: watermark } : {}),
      limit: activityPageSize,
    });
    const view = { conversationId, directionOf: deps.directionOf };
    const activities = messages.map((message) => storedToActivity(message, view)).filter((item): item is WireActivity => item !== null);
    const last = messages.at(-1)?.seq ?? watermark ?? (conversation.nextSeq > 0 ? conversation.nextSeq - 1 : undefined);
    res.json({ activities, ...(last !== undefined ? { watermark: String(last) } : {}) });
  });

  router.post('/conversations/:conversationId/upload', async (req, res) => {
    const caller = await deps.authoriser.caller(req.headers);
    const { conversationId } = parse(conversationParamsSchema, req.params, 'path');
    await deps.authoriser.conversation(caller, conversationId);
    res.status(415).json({ error: { code: 415, message: 'file uploads are not supported: please write your message as text' } });
  });

  return router;
}
