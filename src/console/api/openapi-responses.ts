// The success bodies of /console/api, by operation ("get /referrals/{id}"), as JSON Schema 2020-12
// for the OpenAPI 3.1 document. Each is read off the handler that answers (named beside it);
// test/console/openapi.test.ts checks that every operation has one and validates real answers
// against them. Deep report structures are described to their first level of fields.

type Schema = Record<string, unknown>;

const string: Schema = { type: 'string' };
const dateTime: Schema = { type: 'string', format: 'date-time' };
const uuid: Schema = { type: 'string', format: 'uuid' };
const integer: Schema = { type: 'integer' };
const boolean: Schema = { type: 'boolean' };
const object: Schema = { type: 'object' };
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const arrayOf = (items: Schema): Schema => ({ type: 'array', items });
/** An object with every listed property required (the handlers always write them, null or not). */
function shape(properties: Record<string, Schema>): Schema {
  return { type: 'object', required: Object.keys(properties), properties };
}
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

/** Shared shapes, published under components.schemas. */
export const responseComponents: Record<string, Schema> = {
  // src/console/api/routes.ts summary()
  ReferralSummary: shape({
    id: uuid,
    status: string,
    priority: string,
    priorityCause: nullable(string),
    handoffReason: nullable(string),
    channel: nullable(string),
    language: nullable(string),
    pseudonym: nullable(string),
    hostCountry: nullable(string),
    wishes: arrayOf(string),
    createdAt: dateTime,
    waitingSeconds: nullable(integer),
    assignedUserId: nullable(uuid),
  }),
  // src/console/auth/auth.ts publicUser()
  PublicUser: shape({ id: uuid, email: string, displayName: nullable(string), role: { type: 'string', enum: ['admin', 'counsellor'] }, organisationId: uuid }),
  // src/console/admin/users-routes.ts userJson()
  ListedUser: shape({
    id: uuid,
    email: string,
    displayName: nullable(string),
    role: { type: 'string', enum: ['admin', 'counsellor'] },
    active: boolean,
    createdAt: dateTime,
  }),
  // src/console/admin/api-keys-routes.ts keyJson()
  ApiKey: shape({
    id: uuid,
    prefix: string,
    userId: uuid,
    userEmail: string,
    createdAt: dateTime,
    lastUsedAt: nullable(dateTime),
    revokedAt: nullable(dateTime),
  }),
  // src/console/admin/webhooks-routes.ts webhookJson()
  Webhook: shape({ id: uuid, url: string, events: arrayOf(string), createdAt: dateTime }),
  // src/console/admin/webhooks-routes.ts deliveryJson()
  WebhookDelivery: shape({
    id: uuid,
    eventId: uuid,
    eventType: string,
    data: object,
    occurredAt: dateTime,
    status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
    attempts: integer,
    nextAttemptAt: nullable(dateTime),
    lastAttemptAt: nullable(dateTime),
    lastStatusCode: nullable(integer),
    lastError: nullable(string),
    deliveredAt: nullable(dateTime),
    createdAt: dateTime,
  }),
  // draft: meta.json says the translation is not reviewed (Settings marks it; hideDraftLanguages hides it).
  Language: shape({ code: string, nativeName: string, dir: { type: 'string', enum: ['ltr', 'rtl'] }, draft: boolean }),
};

const referralChange = shape({ referral: ref('ReferralSummary') });
const json = (schema: Schema) => ({ 'application/json': { schema } });

/** The success body of each JSON operation (a 204 has none; text and images are in `produces`). */
export const successBodies: Record<string, Schema> = {
  // src/console/auth/auth.ts
  'post /login': shape({ user: ref('PublicUser'), csrfToken: string, expiresAt: dateTime }),
  'get /me': shape({ user: ref('PublicUser'), via: { type: 'string', enum: ['session', 'api_key'] } }),
  // src/console/auth/own-profile-routes.ts
  'patch /me': shape({ user: ref('PublicUser') }),
  'get /openapi.json': shape({ openapi: { type: 'string', pattern: '^3\\.1\\.' }, info: object, paths: object }),
  // src/console/api/routes.ts
  'get /referrals': shape({
    referrals: arrayOf(ref('ReferralSummary')),
    nextCursor: { ...nullable(string), description: 'Pass as `cursor` for the next page; null on the last page' },
  }),
  'get /referrals/{id}': ref('Referral'),
  'get /referrals/{id}/eligibility': shape({
    lang: string,
    programmes: arrayOf(
      shape({
        programme: string,
        /** The programme's name in `lang`. */
        name: string,
        outcome: { type: 'string', enum: ['eligible', 'possibly_eligible', 'not_eligible'] },
        outcomeText: string,
        /** The record's reason keys, rendered in `lang`. */
        reasons: arrayOf(string),
        /** The answers that would settle a possible eligibility, as words. */
        missing: arrayOf(string),
        /** "up to 2,000 euros", or null without a figure. */
        estimate: nullable(string),
      }),
    ),
  }),
  'get /referrals/{id}/transcript': shape({
    lang: string,
    /** Whether machine translation is configured (`TRANSLATION_URL`), so `translate: true` on a message has an effect. */
    translationAvailable: boolean,
    messages: arrayOf(
      shape({
        seq: integer,
        author: string,
        at: dateTime,
        locale: nullable(string),
        /** As the person saw or wrote it: a tapped button as its label. */
        text: string,
        /** What was stored for a tapped button or a chosen language; null otherwise. */
        value: nullable(string),
        key: nullable(string),
        /** Bot and system messages re-rendered in `lang`; the person's typed messages machine-translated into it. */
        translated: {
          ...nullable(string),
          description:
            "Bot and system messages re-rendered in `lang`; the person's own typed messages machine-translated into `lang` (with `translation` `machine`).",
        },
        translation: {
          ...nullable({ enum: ['machine', 'failed'] }),
          description:
            "`machine`: `translated` (the person's message) or `text` (a counsellor's, as the person read it) came from the translation engine; " +
            '`failed`: the engine was down or slow, so the text is shown or was sent as written; null: no machine translation involved.',
        },
        original: { ...nullable(string), description: "A counsellor's message sent translated: what the counsellor wrote (`text` is what the person read)." },
      }),
    ),
  }),
  'get /referrals/{id}/queue': shape({
    position: nullable(integer),
    wait: {
      oneOf: [shape({ kind: { const: 'estimate' }, minutes: { type: 'number' }, samples: integer }), shape({ kind: { const: 'not_enough_data' } })],
    },
    office: {
      oneOf: [shape({ open: { const: true }, closesAt: dateTime }), shape({ open: { const: false }, opensAt: nullable(dateTime) })],
    },
    timeZone: string,
  }),
  'post /referrals/{id}/claim': referralChange,
  'post /referrals/{id}/assign': referralChange,
  'post /referrals/{id}/messages': shape({
    messageId: string,
    seq: integer,
    outboxId: string,
    translation: {
      enum: ['machine', 'failed', 'none'],
      description:
        "`machine`: sent translated into the person's language; `failed`: the engine did not answer in time, sent as written; `none`: not asked for, not needed or not configured.",
    },
  }),
  'post /referrals/{id}/handback': referralChange,
  'post /referrals/{id}/close': referralChange,
  'patch /referrals/{id}': referralChange,
  'get /referrals/{id}/notes': shape({ notes: { $ref: '#/components/schemas/Referral/properties/notes' } }),
  'post /referrals/{id}/notes': shape({ at: dateTime }),
  // src/console/admin/privacy-routes.ts
  'get /audit': shape({
    entries: arrayOf(
      shape({
        id: { type: ['string', 'integer'] },
        at: dateTime,
        actorUserId: nullable(uuid),
        action: string,
        targetType: nullable(string),
        targetId: nullable(string),
        data: nullable(object),
      }),
    ),
  }),
  'get /privacy/retention': shape({
    closedDays: nullable(integer),
    idleDays: nullable(integer),
    deleted: arrayOf(
      shape({ organisationId: uuid, day: string, conversationsDeleted: integer, referralsDeleted: integer, messagesDeleted: integer, erasures: integer }),
    ),
  }),
  'put /privacy/retention': shape({ closedDays: nullable(integer), idleDays: nullable(integer) }),
  // src/console/api/counsellors.ts
  'get /counsellors': shape({
    counsellors: arrayOf(
      shape({
        id: uuid,
        email: string,
        displayName: nullable(string),
        role: { type: 'string', enum: ['admin', 'counsellor'] },
        /** Referrals assigned to them that are not closed or cancelled. */
        openReferrals: integer,
      }),
    ),
  }),
  // src/console/api/queue-settings.ts
  'get /queue-settings': shape({ queueWait: shape({ amberMinutes: integer, redMinutes: integer }) }),
  // src/console/api/locales.ts
  'get /locales': shape({ locales: arrayOf(shape({ code: string, nativeName: string, dir: { type: 'string', enum: ['ltr', 'rtl'] }, status: string })) }),
  // src/console/admin/flows-routes.ts
  'get /admin/flows': shape({ flows: arrayOf(shape({ name: string, start: string, nodes: integer, questions: integer, handoffs: integer })) }),
  // src/console/admin/settings-routes.ts (settings: settingsFromRecord in organisation-settings.ts)
  'get /admin/organisation': shape({
    settings: object,
    languages: arrayOf(ref('Language')),
    refusedOrigins: arrayOf(shape({ origin: string, count: integer, lastSeen: dateTime })),
  }),
  'patch /admin/organisation': shape({ settings: nullable(object), changed: arrayOf(string) }),
  'get /admin/embedding': shape({
    widgetKey: string,
    snippet: string,
    previewPath: string,
    telegram: nullable(shape({ username: string, link: string, qrSvg: string })),
  }),
  // src/console/admin/analytics-router.ts (AnalyticsReport in analytics-report.ts, with the charts)
  'get /admin/analytics': shape({
    period: object,
    totals: object,
    daily: arrayOf(object),
    byChannel: arrayOf(object),
    byLanguage: arrayOf(object),
    wait: object,
    outcomes: arrayOf(shape({ programme: string, total: integer, outcomes: arrayOf(shape({ outcome: string, count: integer })) })),
    deleted: object,
    charts: object,
  }),
  // src/console/admin/programmes-routes.ts (programmeView, tryCase in programmes-view.ts)
  'get /admin/programmes': shape({
    lng: string,
    textLng: string,
    programmes: arrayOf({ ...shape({ id: string, active: boolean, name: string }), additionalProperties: true }),
  }),
  'patch /admin/programmes': shape({
    lng: string,
    textLng: string,
    programmes: arrayOf({ ...shape({ id: string, active: boolean, name: string }), additionalProperties: true }),
  }),
  'post /admin/programmes/try': shape({
    lng: string,
    textLng: string,
    results: arrayOf({ ...shape({ programme: string, name: string, active: boolean }), additionalProperties: true }),
  }),
  // src/console/admin/users-routes.ts
  'get /admin/users': shape({ users: arrayOf(ref('ListedUser')) }),
  'post /admin/users': shape({ user: ref('ListedUser'), password: string }),
  'patch /admin/users/{id}': shape({ user: ref('ListedUser') }),
  'post /admin/users/{id}/password': shape({ password: string }),
  // src/console/admin/api-keys-routes.ts
  'get /admin/api-keys': shape({ keys: arrayOf(ref('ApiKey')) }),
  'post /admin/api-keys': shape({ key: ref('ApiKey'), token: string }),
  'post /admin/api-keys/{id}/revoke': shape({ key: nullable(ref('ApiKey')) }),
  // src/console/admin/webhooks-routes.ts
  'get /admin/webhooks': shape({ webhooks: arrayOf(ref('Webhook')) }),
  'post /admin/webhooks': shape({ webhook: ref('Webhook'), secret: string }),
  'get /admin/webhooks/{id}/deliveries': shape({ deliveries: arrayOf(ref('WebhookDelivery')) }),
  'post /admin/webhooks/{id}/deliveries/{deliveryId}/retry': shape({ delivery: ref('WebhookDelivery') }),
  // src/console/admin/setup-routes.ts
  'get /setup': shape({ languages: arrayOf(ref('Language')), demoOrganisation: nullable(shape({ name: string })) }),
  'post /setup': shape({ organisation: shape({ id: uuid, name: string, widgetKey: string }), user: shape({ id: uuid, email: string }) }),
};

/** `{ content }` for the success response of an operation, or nothing when it has no JSON body. */
export function successContent(operation: string): { content: Record<string, { schema: Schema }> } | Record<string, never> {
  const schema = successBodies[operation];
  return schema ? { content: json(schema) } : {};
}
