// The console API as the pages use it: same-origin fetches with the session cookie and the CSRF
// header, every answer checked with zod before the pages touch it.
import { z } from 'zod';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    /** A finer reason some refusals carry, e.g. which password rule failed (`weak_password`). */
    readonly problem?: string,
  ) {
    super(`${status} ${reason}`);
  }
}

const errorSchema = z.object({ error: z.object({ reason: z.string(), problem: z.string().optional() }) });

export const userSchema = z.object({ id: z.string(), email: z.string(), displayName: z.string().nullable(), role: z.string() });
export const meSchema = z.object({ user: userSchema });
export const loginSchema = z.object({ user: userSchema, csrfToken: z.string() });

export const summarySchema = z.object({
  id: z.string(),
  status: z.string(),
  priority: z.string(),
  priorityCause: z.string().nullable(),
  handoffReason: z.string().nullable(),
  channel: z.string().nullable(),
  language: z.string().nullable(),
  pseudonym: z.string().nullable(),
  hostCountry: z.string().nullable(),
  wishes: z.array(z.unknown()),
  createdAt: z.string(),
  waitingSeconds: z.number().nullable(),
  assignedUserId: z.string().nullable(),
});
export type Summary = z.infer<typeof summarySchema>;
export const listSchema = z.object({ referrals: z.array(summarySchema), nextCursor: z.string().nullable() });
export const claimSchema = z.object({ referral: summarySchema });

export const transcriptSchema = z.object({
  lang: z.string(),
  /** Machine translation is configured: the composer offers "translate". */
  translationAvailable: z.boolean().default(false),
  messages: z.array(
    z.object({
      seq: z.number(),
      author: z.string(),
      at: z.string(),
      locale: z.string().nullable(),
      /** As the person saw it: a tapped button as its label. */
      text: z.string(),
      /** The stored value of a tapped button or a chosen language (`__done`, `en`), else null. */
      value: z.string().nullable(),
      key: z.string().nullable(),
      translated: z.string().nullable(),
      /** `machine`: translated by the engine; `failed`: it did not answer, shown or sent as written. */
      translation: z.enum(['machine', 'failed']).nullable().default(null),
      /** A counsellor's message sent translated: what they wrote. */
      original: z.string().nullable().default(null),
    }),
  ),
});
export type Transcript = z.infer<typeof transcriptSchema>;

/** GET /counsellors: the organisation's active colleagues a referral can be transferred to. */
export const counsellorsSchema = z.object({
  counsellors: z.array(z.object({ id: z.string(), email: z.string(), displayName: z.string().nullable(), role: z.string(), openReferrals: z.number() })),
});
export type Counsellor = z.infer<typeof counsellorsSchema>['counsellors'][number];
/** GET /queue-settings: when the queue marks a wait amber and red. */
export const queueSettingsSchema = z.object({ queueWait: z.object({ amberMinutes: z.number(), redMinutes: z.number() }) });
/** The fields of the record the chat's actions depend on. */
export const recordStateSchema = z.object({
  status: z.string(),
  assignment: z.object({ userId: z.string(), displayName: z.string().nullable() }).nullable(),
});

export const notesSchema = z.object({ notes: z.array(z.unknown()) });
export const recordSchema = z.record(z.string(), z.unknown());

export const textsSchema = z.object({
  lng: z.string(),
  languages: z.array(z.object({ code: z.string(), name: z.string() })),
  texts: z.record(z.string(), z.unknown()),
  canned: z.array(z.object({ id: z.string(), text: z.string() })),
});
export type Texts = z.infer<typeof textsSchema>;

/** An event of `/console/api/events`; only the fields the pages act on are required. */
export const consoleEventSchema = z.object({
  type: z.string(),
  referralId: z.string().nullable().optional(),
  conversationId: z.string(),
  seq: z.number().optional(),
  text: z.string().optional(),
  status: z.string().optional(),
  change: z.string().optional(),
  /** `conversation_erased`: the referrals that went with the conversation. */
  referralIds: z.array(z.string()).optional(),
});
export type ConsoleEvent = z.infer<typeof consoleEventSchema>;

function csrfToken(): string {
  const match = /(?:^|;\s*)hw_csrf=([^;]*)/.exec(document.cookie);
  return match?.[1] ? decodeURIComponent(match[1]) : '';
}

export async function call<T>(schema: z.ZodType<T>, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/console/api${path}`, {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(method !== 'GET' ? { 'x-csrf-token': csrfToken() } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json: unknown = response.status === 204 ? {} : await response.json().catch(() => null);
  if (!response.ok) {
    const error = errorSchema.safeParse(json);
    throw new ApiError(response.status, error.success ? error.data.error.reason : 'unknown', error.success ? error.data.error.problem : undefined);
  }
  return schema.parse(json);
}

export async function loadTexts(lng: string): Promise<Texts> {
  const response = await fetch(`/console/texts/${encodeURIComponent(lng)}`, { credentials: 'same-origin' });
  return textsSchema.parse(await response.json());
}
