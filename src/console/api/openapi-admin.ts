// The /console/api routes outside the referral table (src/console/api/routes.ts), described for the
// OpenAPI document from the zod schemas their routers validate with. The routers stay as they are;
// test/console/openapi.test.ts walks the started app's routes so this list cannot fall behind.
import type { z } from 'zod';
import { analyticsQuerySchema } from '../admin/analytics-period.js';
import { chartFileSchema } from '../admin/analytics-router.js';
import { apiKeyIdParamsSchema, createApiKeyBodySchema } from '../admin/api-keys-routes.js';
import { flowDiagramParamsSchema, flowDiagramQuerySchema } from '../admin/flows-routes.js';
import { organisationSettingsPatchSchema } from '../admin/organisation-settings.js';
import { programmeCaseSchema, programmesPatchSchema, programmesQuerySchema } from '../admin/programmes-routes.js';
import { setupBodySchema } from '../admin/setup-routes.js';
import { changeUserBodySchema, createUserBodySchema, resetPasswordBodySchema, userIdParamsSchema } from '../admin/users-routes.js';
import { auditQuerySchema, retentionBodySchema } from '../admin/privacy-routes.js';
import { changeOwnPasswordBodySchema } from '../auth/own-password-routes.js';
import { changeOwnProfileBodySchema } from '../auth/own-profile-routes.js';
import { createWebhookBodySchema, deliveriesQuerySchema, webhookDeliveryParamsSchema, webhookIdParamsSchema } from '../admin/webhooks-routes.js';

export interface DocumentedRoute {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** Express syntax, below /console/api. */
  path: string;
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** 200 unless said otherwise. */
  success?: number;
  /** The success body's media type when it is not JSON. */
  produces?: string;
  /** Who may call it: admins of the organisation (the default), any console user, or anyone (first-run setup). */
  access?: 'admin' | 'user' | 'public';
  /** Refusals particular to the route, by status. */
  refusals?: Record<string, string>;
}

/*
 * Schemas that depend on the installed languages check the language with a refinement, which JSON
 * Schema cannot express: built with no languages, they describe the same shape.
 */
const noLanguages: readonly string[] = [];

export const documentedAdminRoutes: readonly DocumentedRoute[] = [
  {
    method: 'get',
    path: '/events',
    summary: "Server-Sent Events of the caller's organisation (event: handoff, one JSON event per message; event: ready on every connection)",
    access: 'user',
    produces: 'text/event-stream',
  },
  { method: 'get', path: '/audit', summary: "The organisation's audit trail, newest first (reading it is audited)", query: auditQuerySchema },
  { method: 'get', path: '/privacy/retention', summary: 'Retention periods and the daily counts of what retention deleted' },
  { method: 'put', path: '/privacy/retention', summary: 'Change the retention periods (audited as retention_changed)', body: retentionBodySchema },
  {
    method: 'get',
    path: '/counsellors',
    summary: "The organisation's active console users a referral can be transferred to, with their open referrals",
    access: 'user',
  },
  {
    method: 'get',
    path: '/queue-settings',
    summary: 'What the queue view needs of the organisation settings: the minutes after which a waiting referral is marked amber and red',
    access: 'user',
  },
  { method: 'get', path: '/locales', summary: 'The client languages with native name, direction and review status' },
  { method: 'get', path: '/admin/flows', summary: 'The flows with their step, question and handoff counts' },
  {
    method: 'get',
    path: '/admin/flows/:file',
    summary: 'One flow drawn as SVG (<id>.svg) or as Mermaid text (<id>.mmd)',
    params: flowDiagramParamsSchema,
    query: flowDiagramQuerySchema,
    produces: 'image/svg+xml',
  },
  { method: 'get', path: '/admin/organisation', summary: 'The organisation settings and the client languages' },
  {
    method: 'patch',
    path: '/admin/organisation',
    summary: 'Change some settings; in effect at once (audited as organisation_settings_changed with the field names)',
    body: organisationSettingsPatchSchema(noLanguages),
  },
  { method: 'get', path: '/admin/embedding', summary: 'The widget script tag, the Telegram link and its QR code (SVG)' },
  {
    method: 'get',
    path: '/admin/analytics',
    summary: 'Funnel, daily figures, breakdowns, waits, outcomes and charts of a period (audited)',
    query: analyticsQuerySchema,
  },
  { method: 'get', path: '/admin/analytics.csv', summary: 'The same figures as one CSV table (audited)', query: analyticsQuerySchema, produces: 'text/csv' },
  {
    method: 'get',
    path: '/admin/analytics/charts/:file',
    summary: 'One chart as SVG (audited)',
    params: chartFileSchema,
    query: analyticsQuerySchema,
    produces: 'image/svg+xml',
  },
  { method: 'get', path: '/admin/programmes', summary: 'The programme catalogue in words, each marked offered or not', query: programmesQuerySchema },
  {
    method: 'patch',
    path: '/admin/programmes',
    summary: 'Choose the programmes the organisation offers (audited as programmes_changed)',
    query: programmesQuerySchema,
    body: programmesPatchSchema,
  },
  {
    method: 'post',
    path: '/admin/programmes/try',
    summary: 'Evaluate a hand-made case against the catalogue; the case is not stored',
    query: programmesQuerySchema,
    body: programmeCaseSchema,
  },
  { method: 'get', path: '/admin/users', summary: 'Everyone with a console login in the organisation' },
  {
    method: 'post',
    path: '/admin/users',
    summary: 'Create a user; the generated password is in this answer only (audited as user_created)',
    body: createUserBodySchema,
    success: 201,
    refusals: { '409': 'email_taken' },
  },
  {
    method: 'patch',
    path: '/admin/users/:id',
    summary: 'Change role, display name or active; deactivation ends sessions and revokes API keys (audited)',
    params: userIdParamsSchema,
    body: changeUserBodySchema,
    refusals: { '409': 'last_admin: no active administrator would remain' },
  },
  {
    method: 'post',
    path: '/admin/users/:id/password',
    summary: "A new generated password, in this answer only; the user's sessions end (audited as password_reset)",
    params: userIdParamsSchema,
    body: resetPasswordBodySchema,
  },
  {
    method: 'post',
    path: '/me/password',
    summary:
      "Change one's own password with the current one; every other session of the user ends, this one stays (audited as password_changed). Sessions only",
    body: changeOwnPasswordBodySchema,
    access: 'user',
    success: 204,
    refusals: {
      '400': 'weak_password (with problem: too_short, too_long, repeated or common) or invalid_body',
      '403': 'wrong_password, session_required (an API key), or the CSRF check failed',
      '429': 'too_many_attempts: the login throttle (Retry-After)',
    },
  },
  {
    method: 'patch',
    path: '/me',
    summary:
      "Set one's own display name (null clears it): what colleagues see, and the person in the chat above one's messages and in the notice that one joined (audited as display_name_changed). Sessions only",
    body: changeOwnProfileBodySchema,
    access: 'user',
    refusals: { '403': 'session_required (an API key), or the CSRF check failed' },
  },
  { method: 'get', path: '/admin/api-keys', summary: "The organisation's API keys: prefix, owner and dates, never the token" },
  {
    method: 'post',
    path: '/admin/api-keys',
    summary: 'A new API key acting as an active user; the token is in this answer only (audited as api_key_created)',
    body: createApiKeyBodySchema,
    success: 201,
    refusals: { '404': 'user_not_found', '409': 'user_inactive' },
  },
  {
    method: 'post',
    path: '/admin/api-keys/:id/revoke',
    summary: 'Revoke an API key from the next request on (audited as api_key_revoked)',
    params: apiKeyIdParamsSchema,
  },
  { method: 'get', path: '/admin/webhooks', summary: "The organisation's webhook endpoints (address and events), never their secrets" },
  {
    method: 'post',
    path: '/admin/webhooks',
    summary:
      'A new webhook endpoint (https:// only in production); its signing secret is in this answer only. Deliveries carry X-Homeward-Signature: sha256=<hex HMAC-SHA256 of the raw body> and X-Homeward-Timestamp, also in the body (audited as webhook_created)',
    body: createWebhookBodySchema(false),
    success: 201,
  },
  {
    method: 'delete',
    path: '/admin/webhooks/:id',
    summary: 'Delete a webhook endpoint with its delivery log; queued deliveries are not sent (audited as webhook_deleted)',
    params: webhookIdParamsSchema,
    success: 204,
  },
  {
    method: 'get',
    path: '/admin/webhooks/:id/deliveries',
    summary: "An endpoint's delivery log, newest first: event, status, attempts, the last answer's status code or error, the next attempt",
    params: webhookIdParamsSchema,
    query: deliveriesQuerySchema,
  },
  {
    method: 'post',
    path: '/admin/webhooks/:id/deliveries/:deliveryId/retry',
    summary: 'Send a delivery again, now, with the same event id (audited as webhook_delivery_retried)',
    params: webhookDeliveryParamsSchema,
    success: 202,
  },
  {
    method: 'get',
    path: '/setup',
    summary: 'First run: whether the setup is open, with the client languages and the demo organisation',
    access: 'public',
    refusals: { '410': 'setup_done: a console user exists' },
  },
  {
    method: 'post',
    path: '/setup',
    summary: "First run: the organisation and its first administrator, with the setup link's token",
    body: setupBodySchema(noLanguages),
    access: 'public',
    success: 201,
    refusals: {
      '400': 'weak_password (with problem: too_short, too_long, repeated or common) or invalid_body',
      '403': 'invalid_setup_token or setup_token_expired',
      '410': 'setup_done: a console user exists',
    },
  },
];
