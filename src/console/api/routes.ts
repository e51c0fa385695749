import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { tappedLabels } from '../../conversation/offered-choices.js';
import { RESULT_KEYS } from '../../eligibility/keys.js';
import type { Programme } from '../../eligibility/programme.js';
import type { Localisation } from '../../i18n/index.js';
import type { ActionResult, HandoffService } from '../../handoff/service.js';
import { exportCsv, exportJson } from '../../referral/export.js';
import { OPEN_STATUSES, PRIORITIES, REFERRAL_STATUSES, referralSnapshotSchema } from '../../referral/record.js';
import type { ConsoleRepository } from '../../store/repositories/console.js';
import type { ConversationRepository, StoredMessage } from '../../store/repositories/conversations.js';
import type { QueueKey, ReferralQuery, StoredReferral } from '../../store/repositories/referrals.js';
import { principalFrom, refuse, type ConsoleAuth, type Principal } from '../auth/auth.js';
import { fieldIssues } from '../../validation/zod-issues.js';
import { refuseInvalidBody } from '../auth/route-helpers.js';
import { counsellorsRouter } from './counsellors.js';
import type { CachedTranslation } from '../../translation/cached.js';
import type { TranslationResult } from '../../translation/port.js';

export interface ConsoleApiDeps {
  auth: ConsoleAuth;
  handoff: HandoffService;
  conversations: ConversationRepository;
  console: ConsoleRepository;
  localisation: Pick<Localisation, 'translatorFor' | 'locales'>;
  /** The catalogue, for programme names in the reader's language (without it, programmes show their ids). */
  programmes?: readonly Pick<Programme, 'id' | 'nameKey'>[];
  /** Machine translation (`TRANSLATION_URL`): the person's messages in the reader's language, the counsellor's on request. */
  translation?: CachedTranslation;
  clock?: () => Date;
}

/* Schemas beside the handlers; the OpenAPI document is generated from the same table. */

export const idParamsSchema = z.strictObject({ id: z.uuid() });
/** A page's position in the queue's order, opaque to clients: base64url of `[priority, createdAt, id]`. */
export function encodeCursor(key: QueueKey): string {
  return Buffer.from(JSON.stringify([key.priority, key.createdAt.toISOString(), key.id])).toString('base64url');
}

const cursorKeySchema = z.tuple([z.enum(PRIORITIES), z.iso.datetime(), z.uuid()]);

/** The key a cursor holds, or null for anything this API did not write (a forged or truncated cursor). */
export function decodeCursor(cursor: string): QueueKey | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const key = cursorKeySchema.safeParse(value);
  if (!key.success) return null;
  const [priority, createdAt, id] = key.data;
  return { priority, createdAt: new Date(createdAt), id };
}

const PSEUDONYM = /^P-[0-9A-F]{6}$/i;
/** The first characters of a reference as the console shows it (8 hex digits), or more of it. */
const REFERENCE_PREFIX = /^[0-9a-f]{8}(-[0-9a-f-]{0,27})?$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `q`: a whole reference, its first 8 characters (or more), or a pseudonym. */
export function parseSearch(q: string): ReferralQuery['search'] | null {
  if (PSEUDONYM.test(q)) return { pseudonym: q.toUpperCase() };
  if (UUID.test(q)) return { id: q.toLowerCase() };
  if (REFERENCE_PREFIX.test(q)) return { idPrefix: q.toLowerCase() };
  return null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export const listQuerySchema = z.strictObject({
  /** One status or several, comma-separated: ?status=new,claimed */
  status: z
    .string()
    .transform((value) => value.split(',').map((item) => item.trim()))
    .pipe(z.array(z.enum(REFERRAL_STATUSES)).min(1))
    .optional()
    .meta({
      description: `One status or several, comma-separated (${REFERRAL_STATUSES.join(', ')}). Default: the open ones, ${OPEN_STATUSES.join(',')}.`,
      examples: ['new', 'closed,cancelled'],
    }),
  assignee: z
    .union([z.literal('me'), z.literal('none'), z.uuid()])
    .optional()
    .meta({ description: "`me` (the caller's referrals), `none` (unassigned) or a user's id. Default: anyone's." }),
  q: z
    .string()
    .trim()
    .transform((value, ctx) => {
      // An empty search box is no search.
      if (value === '') return undefined;
      const search = parseSearch(value);
      if (search) return search;
      ctx.addIssue({ code: 'custom', message: 'a reference (the id or its first 8 characters) or a pseudonym (P-1A2B3C)' });
      return z.NEVER;
    })
    .optional()
    .meta({ description: 'Search: a referral reference (the whole id or its first 8 characters) or a pseudonym (`P-` and 6 hex digits).' }),
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_PAGE_SIZE))
    .optional()
    .meta({ description: `Referrals per page, 1-${MAX_PAGE_SIZE}. Default ${DEFAULT_PAGE_SIZE}.` }),
  cursor: z
    .string()
    .transform((value, ctx) => {
      const key = decodeCursor(value);
      if (key) return key;
      ctx.addIssue({ code: 'custom', message: 'not a cursor from this API' });
      return z.NEVER;
    })
    .optional()
    .meta({ description: "Opaque: the previous page's `nextCursor`. Send the same filters with it." }),
});
export const exportQuerySchema = z.strictObject({ format: z.enum(['json', 'csv']).default('json') });
export const transcriptQuerySchema = z.strictObject({
  lang: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/)
    .optional(),
});
/** Free text as written, or a canned reply from `locales/<lng>/handoff.json` (`canned.<id>`) sent in the person's language. */
export const messageBodySchema = z.union([
  z.strictObject({
    text: z.string().trim().min(1).max(4000),
    translate: z
      .boolean()
      .optional()
      .meta({ description: "Send it machine-translated into the person's language, the original kept (needs `TRANSLATION_URL`; otherwise ignored)." }),
  }),
  z.strictObject({ canned: z.string().regex(/^[a-z0-9_]{1,40}$/) }),
]);
export const closeBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(500) });
export const noteBodySchema = z.strictObject({ text: z.string().trim().min(1).max(4000) });
export const patchBodySchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('in_progress') }),
  z.strictObject({ status: z.literal('referred'), provider: z.string().trim().min(1).max(200) }),
  z.strictObject({ status: z.literal('closed'), reason: z.string().trim().min(1).max(500) }),
]);
/** A colleague's user id (an active user of the caller's organisation), or null: back to the queue. */
export const assignBodySchema = z.strictObject({
  userId: z.uuid().nullable().meta({ description: 'The colleague who takes the referral over, or null to put it back in the queue unassigned.' }),
});
const emptyBodySchema = z.union([z.strictObject({}), z.undefined()]);

type Reply =
  | { status: number; json: unknown; auditData?: Record<string, string | null> }
  | { status: number; text: string; contentType: string; filename: string };

interface RouteContext {
  principal: Principal;
  params: { id: string };
  query: Record<string, unknown>;
  body: unknown;
  req: Request;
}

export interface ConsoleRoute {
  method: 'get' | 'post' | 'patch';
  /** Express syntax; OpenAPI gets `{id}`. */
  path: string;
  summary: string;
  /** Longer text for the OpenAPI document. */
  description?: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** 200 unless said otherwise. */
  success?: number;
  /** The audit action written for every successful call. */
  audit: string;
  handle(ctx: RouteContext, deps: ConsoleApiDeps): Promise<Reply | Refusal>;
}

interface Refusal {
  refuse: { status: number; reason: string; message: string };
}

const notFound: Refusal = { refuse: { status: 404, reason: 'not_found', message: 'no such referral' } };

const localeEventSchema = z.object({ event: z.literal('locale'), redacted: z.literal(true).optional() });

/** A language the person chose (stored as its code, `en`) as the picker showed it ("English"); a placeholder stays one. */
function localeName(message: StoredMessage, locales: Localisation['locales']): string | undefined {
  if (message.author !== 'client' || message.textKey !== null) return undefined;
  const event = localeEventSchema.safeParse(message.payload);
  if (!event.success || event.data.redacted) return undefined;
  return locales.find((info) => info.code === message.text)?.nativeName;
}

function fromAction<T>(result: ActionResult<T>, ok: (value: T) => Reply): Reply | Refusal {
  if (result.ok) return ok(result.value);
  switch (result.reason) {
    case 'not_found':
      return notFound;
    case 'conflict':
      return { refuse: { status: 409, reason: result.status === 'new' ? 'conflict' : 'already_claimed', message: `the referral is ${result.status}` } };
    case 'not_assignee':
      return { refuse: { status: 403, reason: 'not_assignee', message: 'another counsellor owns this referral' } };
    case 'wrong_status':
      return { refuse: { status: 409, reason: 'wrong_status', message: `not allowed while the referral is ${result.status}` } };
    case 'no_such_user':
      // Another organisation's user is answered like an unknown one.
      return { refuse: { status: 404, reason: 'no_such_user', message: 'no active colleague of this organisation has this id' } };
    case 'unchanged':
      return { refuse: { status: 409, reason: 'unchanged', message: 'the referral is already assigned so' } };
    default: {
      const unreachable: never = result;
      throw new Error(`unknown action result ${JSON.stringify(unreachable)}`);
    }
  }
}

/** A queue row: what a counsellor scans (no personal answers beyond the one-line summary). */
function summary(referral: StoredReferral, now: Date) {
  const snapshot = referralSnapshotSchema.safeParse(referral.record);
  const s = snapshot.success ? snapshot.data : null;
  return {
    id: referral.id,
    status: referral.status,
    priority: referral.priority,
    priorityCause: s?.priority.cause ?? null,
    handoffReason: s?.handoffReason ?? null,
    channel: s?.channel ?? null,
    language: s?.who.languages[0] ?? null,
    pseudonym: s?.who.pseudonym ?? null,
    hostCountry: s?.where.hostCountry ?? null,
    wishes: s?.wishes ?? [],
    createdAt: referral.createdAt.toISOString(),
    waitingSeconds: referral.status === 'new' ? Math.max(0, Math.round((now.getTime() - referral.createdAt.getTime()) / 1000)) : null,
    assignedUserId: referral.assignedUserId,
  };
}

export const consoleRoutes: readonly ConsoleRoute[] = [
  {
    method: 'get',
    path: '/referrals',
    summary: "List the organisation's referrals, highest priority first, oldest first within a priority",
    description:
      'Filters combine (all must hold). Paging is keyset paging over the queue order (priority, createdAt, id): ' +
      'a page holds at most `limit` referrals; pass its `nextCursor` as `cursor` (with the same filters) for the next one; ' +
      '`nextCursor` is null on the last page. Referrals that change while paging appear where they are when their page is read.',
    query: listQuerySchema,
    audit: 'referrals_listed',
    async handle({ principal, query }, deps) {
      const { status, assignee, q, limit, cursor } = query as z.infer<typeof listQuerySchema>;
      const now = (deps.clock ?? (() => new Date()))();
      const page = await deps.handoff.page(principal.organisationId, {
        statuses: status ?? OPEN_STATUSES,
        ...(assignee === undefined ? {} : { assignee: assignee === 'me' ? principal.userId : assignee === 'none' ? null : assignee }),
        ...(q ? { search: q } : {}),
        limit: limit ?? DEFAULT_PAGE_SIZE,
        ...(cursor ? { after: cursor } : {}),
      });
      return {
        status: 200,
        json: { referrals: page.referrals.map((referral) => summary(referral, now)), nextCursor: page.next ? encodeCursor(page.next) : null },
      };
    },
  },
  {
    method: 'get',
    path: '/referrals/:id',
    summary: 'The referral record (valid against /schemas/referral.json)',
    audit: 'referral_viewed',
    async handle({ principal, params }, deps) {
      const record = await deps.handoff.record(principal.organisationId, params.id);
      return record ? { status: 200, json: record } : notFound;
    },
  },
  {
    method: 'get',
    path: '/referrals/:id/eligibility',
    summary: "The record's eligibility outcomes with names, outcomes, reasons and missing answers rendered in `lang`",
    description:
      'The record keeps reasons as i18n keys (valid against /schemas/referral.json); this renders them for a reader, ' +
      'in the order of the record’s `eligibility`. Reasons are worded as the person was told them.',
    query: transcriptQuerySchema,
    audit: 'referral_viewed',
    async handle({ principal, params, query, req }, deps) {
      const record = await deps.handoff.record(principal.organisationId, params.id);
      if (!record) return notFound;
      const lang = (query as z.infer<typeof transcriptQuerySchema>).lang ?? req.acceptsLanguages(...deps.localisation.locales.map((l) => l.code)) ?? 'en';
      const language = typeof lang === 'string' ? lang : 'en';
      const t = deps.localisation.translatorFor(language);
      const names = new Map((deps.programmes ?? []).map((programme) => [programme.id, t(programme.nameKey)]));
      return {
        status: 200,
        json: {
          lang: language,
          programmes: record.eligibility.map((result) => ({
            programme: result.programme,
            name: names.get(result.programme) ?? result.programme,
            outcome: result.outcome,
            outcomeText: t(RESULT_KEYS.outcome[result.outcome]),
            reasons: result.reasons.map((reason) => t(reason.key, reason.params)),
            missing: result.missing.map((field) => t(`eligibility:field.${field}`)),
            estimate:
              result.estimate && result.estimate.components.length > 0
                ? t(RESULT_KEYS.upTo, { amount: result.estimate.upTo, currency: result.estimate.currency })
                : null,
          })),
        },
      };
    },
  },
  {
    method: 'get',
    path: '/referrals/:id/export',
    summary: 'Export the referral as JSON (the record) or CSV (one row)',
    query: exportQuerySchema,
    audit: 'referral_exported',
    async handle({ principal, params, query }, deps) {
      const record = await deps.handoff.record(principal.organisationId, params.id);
      if (!record) return notFound;
      const { format } = query as z.infer<typeof exportQuerySchema>;
      return format === 'csv'
        ? { status: 200, text: exportCsv([record]), contentType: 'text/csv; charset=utf-8', filename: `referral-${record.id}.csv` }
        : { status: 200, text: exportJson(record), contentType: 'application/json; charset=utf-8', filename: `referral-${record.id}.json` };
    },
  },
  {
    method: 'get',
    path: '/referrals/:id/transcript',
    summary: 'The whole conversation; bot messages re-rendered in `lang` beside the text the person saw',
    description:
      "With `TRANSLATION_URL` set, the person's typed messages also carry `translated` (machine-translated into `lang`, cached per " +
      'conversation, encrypted at rest and erased with it) or `translation: failed` when the engine did not answer in time; ' +
      'the original is always `text`.',
    query: transcriptQuerySchema,
    audit: 'transcript_viewed',
    async handle({ principal, params, query, req }, deps) {
      const found = await deps.handoff.find(principal.organisationId, params.id);
      if (!found) return notFound;
      const lang = (query as z.infer<typeof transcriptQuerySchema>).lang ?? req.acceptsLanguages(...deps.localisation.locales.map((l) => l.code)) ?? 'en';
      const language = typeof lang === 'string' ? lang : 'en';
      const t = deps.localisation.translatorFor(language);
      const messages = await deps.conversations.listMessages(found.conversationId);
      const labels = tappedLabels(messages);
      // The person's own words in the reader's language, all at once: the wait is one timeout at most.
      // Without an engine there is nothing to pick out.
      const typed = deps.translation
        ? messages.filter(
            (message) =>
              message.author === 'client' &&
              message.textKey === null &&
              !message.text.startsWith('/') &&
              !labels.has(message.seq) &&
              localeName(message, deps.localisation.locales) === undefined,
          )
        : [];
      // The person's words are taken to be in the language they chose for the chat.
      const personLocale = typed.length > 0 ? (await deps.conversations.findById(found.conversationId))?.locale : undefined;
      const translations = await translateClientMessages(deps.translation, found.conversationId, typed, personLocale ?? 'auto', language);
      return {
        status: 200,
        json: {
          lang: language,
          /** Whether machine translation is configured: the console then offers to translate what the counsellor sends. */
          translationAvailable: deps.translation !== undefined,
          messages: messages.map((message) => {
            const shown = labels.get(message.seq) ?? localeName(message, deps.localisation.locales);
            const machine = translations.get(message.seq);
            const sent = sentTranslation(message);
            return {
              seq: message.seq,
              author: message.author,
              at: message.createdAt.toISOString(),
              locale: message.locale,
              /** As the person saw or wrote it: a tapped button as its label ("English", "Done"). */
              text: shown ?? message.text,
              /** What was stored for a tapped button or a chosen language (`en`, `__done`); null otherwise. */
              value: shown !== undefined ? message.text : null,
              key: message.textKey,
              /** Re-rendered in the counsellor's language for bot and system messages; machine-translated for the person's own. */
              translated: message.textKey ? t(message.textKey, message.textParams ?? undefined) : machine?.status === 'translated' ? machine.text : null,
              /** `machine`: translated by the engine; `failed`: the engine did not answer (shown as written); null: no translation. */
              translation: machine ? (machine.status === 'translated' ? 'machine' : 'failed') : (sent?.status ?? null),
              /** A counsellor's message sent translated: what they wrote (`text` is what the person read). */
              original: sent?.status === 'machine' ? sent.original : null,
            };
          }),
        },
      };
    },
  },
  {
    method: 'get',
    path: '/referrals/:id/queue',
    summary: 'Place in the queue, rough wait and office hours status',
    audit: 'queue_viewed',
    async handle({ principal, params }, deps) {
      const referral = await deps.handoff.find(principal.organisationId, params.id);
      if (!referral) return notFound;
      const queue = await deps.handoff.queueInfo(referral);
      return {
        status: 200,
        json: {
          position: queue.position,
          wait: queue.wait,
          office: queue.office.open
            ? { open: true, closesAt: queue.office.closesAt.toISOString() }
            : { open: false, opensAt: queue.office.opensAt?.toISOString() ?? null },
          timeZone: queue.timeZone,
        },
      };
    },
  },
  {
    method: 'post',
    path: '/referrals/:id/claim',
    summary: 'Claim the referral; of two simultaneous claims exactly one wins (the other gets 409)',
    body: emptyBodySchema,
    audit: 'referral_claimed',
    async handle({ principal, params }, deps) {
      return fromAction(await deps.handoff.claim(principal, params.id), (referral) => ({ status: 200, json: { referral: summary(referral, new Date()) } }));
    },
  },
  {
    method: 'post',
    path: '/referrals/:id/assign',
    summary: 'Transfer the referral to a colleague of the organisation, or put it back in the queue (userId null)',
    description:
      'Its assignee may hand it on; an administrator may assign, transfer or unassign any open referral. The colleague must be an active ' +
      "user of the caller's organisation (any other id: 404 `no_such_user`). A waiting referral given to someone becomes `claimed`; an " +
      'unassigned one becomes `new` again. The person is told in their language; every console receives `referral_updated` with ' +
      '`change` `assigned`, `transferred` or `unassigned`.',
    body: assignBodySchema,
    audit: 'referral_assigned',
    async handle({ principal, params, body }, deps) {
      const { userId } = body as z.infer<typeof assignBodySchema>;
      return fromAction(await deps.handoff.assign(principal, params.id, userId), (referral) => ({
        status: 200,
        json: { referral: summary(referral, new Date()) },
        auditData: { to: userId },
      }));
    },
  },
  {
    method: 'post',
    path: '/referrals/:id/messages',
    summary: "Send a message to the person; stored and queued for delivery on the person's channel",
    description:
      "With `translate: true` and `TRANSLATION_URL` set, free text goes machine-translated into the person's language with a short " +
      '"translated automatically" note, the original kept with the stored message; if the engine is down or slower than ' +
      '`TRANSLATION_TIMEOUT_MS` it goes as written and the answer says `translation: failed`.',
    body: messageBodySchema,
    success: 201,
    audit: 'message_sent',
    async handle({ principal, params, body }, deps) {
      const message = body as z.infer<typeof messageBodySchema>;
      let result: Awaited<ReturnType<typeof deps.handoff.sendMessage>>;
      if ('canned' in message) {
        const key = `handoff:canned.${message.canned}`;
        if (deps.localisation.translatorFor('en')(key) === key) return { refuse: { status: 400, reason: 'invalid_body', message: 'no such canned reply' } };
        result = await deps.handoff.sendMessage(principal, params.id, '', { key });
      } else result = await deps.handoff.sendMessage(principal, params.id, message.text, undefined, { translate: message.translate === true });
      return fromAction(result, (sent) => ({
        status: 201,
        json: { messageId: sent.message.id, seq: sent.message.seq, outboxId: sent.outboxId, translation: sent.translation },
      }));
    },
  },
  {
    method: 'post',
    path: '/referrals/:id/handback',
    summary: 'Hand the chat back to the bot; the referral stays with its counsellor',
    body: emptyBodySchema,
    audit: 'referral_handed_back',
    async handle({ principal, params }, deps) {
      return fromAction(await deps.handoff.handBack(principal, params.id), (referral) => ({ status: 200, json: { referral: summary(referral, new Date()) } }));
    },
  },
  {
    method: 'post',
    path: '/referrals/:id/close',
    summary: 'Close the referral, saying why',
    body: closeBodySchema,
    audit: 'referral_closed',
    async handle({ principal, params, body }, deps) {
      const { reason } = body as z.infer<typeof closeBodySchema>;
      return fromAction(await deps.handoff.close(principal, params.id, reason), (referral) => ({
        status: 200,
        json: { referral: summary(referral, new Date()) },
      }));
    },
  },
  {
    method: 'patch',
    path: '/referrals/:id',
    summary: 'Change the status: in_progress, referred (with provider) or closed (with reason)',
    body: patchBodySchema,
    audit: 'referral_status_changed',
    async handle({ principal, params, body }, deps) {
      const change = body as z.infer<typeof patchBodySchema>;
      return fromAction(await deps.handoff.setStatus(principal, params.id, change), (referral) => ({
        status: 200,
        json: { referral: summary(referral, new Date()) },
      }));
    },
  },
  {
    method: 'get',
    path: '/referrals/:id/notes',
    summary: 'Private notes of the counsellors on this referral',
    audit: 'notes_viewed',
    async handle({ principal, params }, deps) {
      const record = await deps.handoff.record(principal.organisationId, params.id);
      return record ? { status: 200, json: { notes: record.notes } } : notFound;
    },
  },
  {
    method: 'post',
    path: '/referrals/:id/notes',
    summary: 'Add a private note (never shown to the person)',
    body: noteBodySchema,
    success: 201,
    audit: 'note_added',
    async handle({ principal, params, body }, deps) {
      const { text } = body as z.infer<typeof noteBodySchema>;
      return fromAction(await deps.handoff.addNote(principal, params.id, text), (note) => ({ status: 201, json: { at: note.at.toISOString() } }));
    },
  },
];

/** The console API router (mount at /console/api): auth routes, then every route of the table behind authentication. */
export function consoleApiRouter(deps: ConsoleApiDeps): Router {
  const router = Router();
  router.use(deps.auth.routes());
  router.use(counsellorsRouter(deps));
  for (const route of consoleRoutes) {
    router[route.method](route.path, deps.auth.authenticate(), express.json({ limit: '16kb' }), async (req, res) => {
      await run(route, req, res, deps);
    });
  }
  return router;
}

async function run(route: ConsoleRoute, req: Request, res: Response, deps: ConsoleApiDeps): Promise<void> {
  const principal = principalFrom(res);
  let id = '';
  if (route.path.includes(':id')) {
    // A malformed id is "not found", like another organisation's: no hint either way.
    const params = idParamsSchema.safeParse(req.params);
    if (!params.success) return refuse(res, 404, 'not_found', 'no such referral');
    id = params.data.id;
  }
  // Routes without a query schema ignore query strings (cache busters) rather than refuse them.
  const query = (route.query ?? z.object({})).safeParse(req.query);
  if (!query.success) return refuse(res, 400, 'invalid_query', 'the query is not valid', { issues: fieldIssues(query.error) });
  const body = route.body ? route.body.safeParse(req.body) : { success: true as const, data: undefined };
  if (!body.success) return refuseInvalidBody(res, body.error);

  const reply = await route.handle({ principal, params: { id }, query: query.data as Record<string, unknown>, body: body.data, req }, deps);
  if ('refuse' in reply) return refuse(res, reply.refuse.status, reply.refuse.reason, reply.refuse.message);
  await deps.console.audit({
    organisationId: principal.organisationId,
    actorUserId: principal.userId,
    action: route.audit,
    ...(id ? { targetType: 'referral', targetId: id } : {}),
    data: {
      via: principal.via,
      ...(route.audit === 'referral_exported' && 'contentType' in reply ? { format: reply.contentType.startsWith('text/csv') ? 'csv' : 'json' } : {}),
      ...('auditData' in reply ? reply.auditData : {}),
    },
  });
  res.setHeader('Cache-Control', 'no-store');
  if ('text' in reply) {
    res.status(reply.status).type(reply.contentType).setHeader('Content-Disposition', `attachment; filename="${reply.filename}"`);
    res.send(reply.text);
    return;
  }
  res.status(reply.status).json(reply.json);
}

const sentTranslationSchema = z.object({
  translation: z.discriminatedUnion('status', [z.object({ status: z.literal('machine'), original: z.string() }), z.object({ status: z.literal('failed') })]),
});

/** A counsellor's message sent through translation, as its stored payload says. */
function sentTranslation(message: StoredMessage): z.infer<typeof sentTranslationSchema>['translation'] | null {
  if (message.author !== 'counsellor') return null;
  const parsed = sentTranslationSchema.safeParse(message.payload);
  return parsed.success ? parsed.data.translation : null;
}

async function translateClientMessages(
  translation: CachedTranslation | undefined,
  conversationId: string,
  /** The person's typed words only: not a tapped button (stored as its value), a placeholder (a key) or a command (`/start`). */
  messages: readonly StoredMessage[],
  source: string,
  target: string,
): Promise<Map<number, TranslationResult>> {
  const results = new Map<number, TranslationResult>();
  if (!translation?.needed(source, target)) return results;
  await Promise.all(
    messages.map(async (message) => {
      results.set(message.seq, await translation.translate(conversationId, { source, target, text: message.text }));
    }),
  );
  return results;
}
