import express, { Router } from 'express';
import { z } from 'zod';
import type { ConsoleRepository } from '../../store/repositories/console.js';
import { WEBHOOK_EVENTS, type ListedWebhookDelivery, type StoredWebhook, type WebhookRepository } from '../../store/repositories/webhooks.js';
import { principalFrom, refuse, type ConsoleAuth } from '../auth/auth.js';
import { adminOnly, noStore, refuseInvalidBody } from '../auth/route-helpers.js';
import { newToken } from '../auth/tokens.js';

export interface WebhooksRoutesDeps {
  auth: ConsoleAuth;
  console: Pick<ConsoleRepository, 'audit'>;
  webhooks: WebhookRepository;
  /** Production accepts only https:// endpoints; elsewhere http:// is allowed for a receiver on the same machine. */
  production: boolean;
  clock?: () => Date;
}

/** The prefix of a webhook secret, so a person can tell it from an API key in a password manager. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

export const webhookIdParamsSchema = z.strictObject({ id: z.uuid() });
export const webhookDeliveryParamsSchema = z.strictObject({ id: z.uuid(), deliveryId: z.uuid() });

/** `POST /admin/webhooks`: where to send (no credentials in the address: the signature is the proof) and which events. */
export function createWebhookBodySchema(production: boolean) {
  return z.strictObject({
    url: z
      .url({ protocol: production ? /^https$/ : /^https?$/, error: production ? 'must be an https:// URL' : 'must be an http:// or https:// URL' })
      .max(2000)
      .refine((value) => {
        const url = new URL(value);
        return url.username === '' && url.password === '' && url.hash === '';
      }, 'may hold no user name, password or #fragment'),
    events: z
      .array(z.enum(WEBHOOK_EVENTS))
      .min(1)
      .max(WEBHOOK_EVENTS.length)
      .refine((events) => new Set(events).size === events.length, 'lists an event twice'),
  });
}
export type CreateWebhookBody = z.infer<ReturnType<typeof createWebhookBodySchema>>;
export const deliveriesQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });
const emptyBodySchema = z.union([z.strictObject({}), z.undefined()]);

/**
 * Admin-only webhooks (mount at /console/api), scoped to the caller's organisation (another
 * organisation's endpoint is a plain 404):
 *
 * - `GET /admin/webhooks`: the endpoints, never their secrets.
 * - `POST /admin/webhooks` `{ url, events }`: 201 `{ webhook, secret }`; the secret is in this answer only.
 * - `DELETE /admin/webhooks/:id`: gone, with its queued deliveries.
 * - `GET /admin/webhooks/:id/deliveries?limit=`: the delivery log, newest first.
 * - `POST /admin/webhooks/:id/deliveries/:deliveryId/retry`: "send again".
 *
 * Audited as webhook_created, webhook_deleted, webhook_delivery_retried (ids and event names).
 */
export function webhooksAdminRouter(deps: WebhooksRoutesDeps): Router {
  const router = Router();
  const now = deps.clock ?? (() => new Date());
  const guard = [deps.auth.authenticate(), adminOnly, noStore, express.json({ limit: '4kb' })];
  const createSchema = createWebhookBodySchema(deps.production);

  router.get('/admin/webhooks', ...guard, async (_req, res) => {
    res.json({ webhooks: (await deps.webhooks.list(principalFrom(res).organisationId)).map(webhookJson) });
  });

  router.post('/admin/webhooks', ...guard, async (req, res) => {
    const body = createSchema.safeParse(req.body);
    if (!body.success) return refuseInvalidBody(res, body.error);
    const principal = principalFrom(res);
    const secret = newToken(WEBHOOK_SECRET_PREFIX);
    const webhook = await deps.webhooks.create({
      organisationId: principal.organisationId,
      url: body.data.url,
      events: body.data.events,
      secret,
      createdByUserId: principal.userId,
    });
    await deps.console.audit({
      organisationId: principal.organisationId,
      actorUserId: principal.userId,
      action: 'webhook_created',
      targetType: 'webhook',
      targetId: webhook.id,
      data: { events: webhook.events.join(','), via: principal.via },
    });
    res.status(201).json({ webhook: webhookJson(webhook), secret });
  });

  router.delete('/admin/webhooks/:id', ...guard, async (req, res) => {
    const params = webhookIdParamsSchema.safeParse(req.params);
    if (!params.success) return refuse(res, 404, 'not_found', 'no such webhook');
    const principal = principalFrom(res);
    if (!(await deps.webhooks.delete(principal.organisationId, params.data.id))) return refuse(res, 404, 'not_found', 'no such webhook');
    await deps.console.audit({
      organisationId: principal.organisationId,
      actorUserId: principal.userId,
      action: 'webhook_deleted',
      targetType: 'webhook',
      targetId: params.data.id.toLowerCase(),
      data: { via: principal.via },
    });
    res.status(204).end();
  });

  router.get('/admin/webhooks/:id/deliveries', ...guard, async (req, res) => {
    const params = webhookIdParamsSchema.safeParse(req.params);
    if (!params.success) return refuse(res, 404, 'not_found', 'no such webhook');
    const query = deliveriesQuerySchema.safeParse(req.query);
    if (!query.success) return refuse(res, 400, 'invalid_query', 'the query is not valid');
    const deliveries = await deps.webhooks.listDeliveries(principalFrom(res).organisationId, params.data.id, query.data.limit);
    if (!deliveries) return refuse(res, 404, 'not_found', 'no such webhook');
    res.json({ deliveries: deliveries.map(deliveryJson) });
  });

  router.post('/admin/webhooks/:id/deliveries/:deliveryId/retry', ...guard, async (req, res) => {
    const params = webhookDeliveryParamsSchema.safeParse(req.params);
    if (!params.success) return refuse(res, 404, 'not_found', 'no such delivery');
    const body = emptyBodySchema.safeParse(req.body);
    if (!body.success) return refuseInvalidBody(res, body.error);
    const principal = principalFrom(res);
    const delivery = await deps.webhooks.retry(principal.organisationId, params.data.id, params.data.deliveryId, now());
    if (!delivery) return refuse(res, 404, 'not_found', 'no such delivery');
    await deps.console.audit({
      organisationId: principal.organisationId,
      actorUserId: principal.userId,
      action: 'webhook_delivery_retried',
      targetType: 'webhook_delivery',
      targetId: delivery.id,
      data: { webhookId: params.data.id.toLowerCase(), eventType: delivery.eventType, via: principal.via },
    });
    res.status(202).json({ delivery: deliveryJson(delivery) });
  });
  return router;
}

function webhookJson(webhook: StoredWebhook) {
  return { id: webhook.id, url: webhook.url, events: webhook.events, createdAt: webhook.createdAt.toISOString() };
}

function deliveryJson(delivery: ListedWebhookDelivery) {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    data: delivery.data,
    occurredAt: delivery.occurredAt.toISOString(),
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
  };
}
