// The admin's webhooks page: endpoints of other systems that receive signed referral events. Add
// one (its secret is shown once), delete one, read an endpoint's delivery log and send a delivery
// again. The server checks the address (https:// in production) and the organisation scope.
import { z } from 'zod';
import { h } from '../../../../channels/web/widget/client/dom.js';
import type { AdminPage } from './page.js';
import { dateText, secretBox, showSecretOnce, table } from './page-parts.js';

const events = ['referral.created', 'referral.claimed', 'referral.status_changed', 'referral.closed', 'person.erased'] as const;

const webhookSchema = z.object({ id: z.string(), url: z.string(), events: z.array(z.string()), createdAt: z.string() });
type ListedWebhook = z.infer<typeof webhookSchema>;
const webhooksSchema = z.object({ webhooks: z.array(webhookSchema) });
const createdSchema = z.object({ webhook: webhookSchema, secret: z.string() });
const deliverySchema = z.object({
  id: z.string(),
  eventType: z.string(),
  occurredAt: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().nullable(),
  lastError: z.string().nullable(),
});
type ListedDelivery = z.infer<typeof deliverySchema>;
const deliveriesSchema = z.object({ deliveries: z.array(deliverySchema) });
const retriedSchema = z.object({ delivery: deliverySchema });

const webhooksPage: AdminPage = {
  path: 'webhooks',
  navKey: 'admin.webhooks.nav',
  async render(view) {
    const t = (key: string, params?: Record<string, string | number>) => view.t(`admin.webhooks.${key}`, params);
    const secret = secretBox();
    const body = h('tbody');
    const empty = h('p', { hidden: true }, t('empty'));
    const log = h('section', { class: 'panel', 'aria-labelledby': 'webhook-log-title', hidden: true });

    const url = h('input', { id: 'new-webhook-url', type: 'url', required: true, autocomplete: 'off', maxlength: '2000', placeholder: 'https://' });
    const boxes = events.map((name) => {
      const box = h('input', { id: `new-webhook-${name}`, type: 'checkbox', value: name });
      box.checked = true;
      return box;
    });
    const formError = h('p', { class: 'error', role: 'alert' });
    const submit = h('button', { type: 'submit', class: 'primary' }, t('create.submit'));
    const form = h(
      'form',
      { 'aria-labelledby': 'new-webhook-title', novalidate: true },
      h('h2', { id: 'new-webhook-title' }, t('create.title')),
      h('label', { for: 'new-webhook-url' }, t('create.url')),
      url,
      h(
        'fieldset',
        {},
        h('legend', {}, t('create.events')),
        ...boxes.map((box) => h('div', {}, box, h('label', { for: box.id }, `${t(`event.${box.value.replace('.', '_')}`)} (${box.value})`))),
      ),
      formError,
      h('div', { class: 'actions' }, submit),
    );

    const load = async () => {
      const { webhooks } = await view.call(webhooksSchema, 'GET', '/admin/webhooks');
      body.replaceChildren(...webhooks.map(row));
      empty.hidden = webhooks.length > 0;
    };

    const showLog = async (webhook: ListedWebhook) => {
      const { deliveries } = await view.call(deliveriesSchema, 'GET', `/admin/webhooks/${encodeURIComponent(webhook.id)}/deliveries`);
      const rows = h('tbody');
      rows.replaceChildren(...deliveries.map((delivery) => deliveryRow(webhook, delivery)));
      const heading = h('h2', { id: 'webhook-log-title', tabindex: '-1' }, t('log.title', { url: webhook.url }));
      log.replaceChildren(
        heading,
        deliveries.length === 0
          ? h('p', {}, t('log.empty'))
          : table(
              t('log.title', { url: webhook.url }),
              ['event', 'occurred', 'status', 'attempts', 'answer', 'actions'].map((column) => t(`log.col.${column}`)),
              rows,
            ),
      );
      log.hidden = false;
      heading.focus();
    };

    function deliveryRow(webhook: ListedWebhook, delivery: ListedDelivery): HTMLTableRowElement {
      const actions: Node[] = [];
      if (delivery.status !== 'pending') {
        const again = h('button', { type: 'button' }, t('log.send_again'));
        again.addEventListener('click', () => {
          again.disabled = true;
          void view
            .call(retriedSchema, 'POST', `/admin/webhooks/${encodeURIComponent(webhook.id)}/deliveries/${encodeURIComponent(delivery.id)}/retry`, {})
            .then(() => view.notify(t('notice.queued')))
            .catch((error: unknown) => view.notify(view.errorText(error)))
            .finally(() => void showLog(webhook).catch((error: unknown) => view.notify(view.errorText(error))));
        });
        actions.push(again);
      }
      const status =
        delivery.status === 'pending' && delivery.nextAttemptAt
          ? t('status.pending_at', { date: dateText(view, delivery.nextAttemptAt, true) })
          : t(`status.${delivery.status}`);
      const answer = delivery.lastStatusCode !== null ? String(delivery.lastStatusCode) : (delivery.lastError ?? '');
      return h(
        'tr',
        {},
        h('td', {}, h('code', {}, delivery.eventType)),
        h('td', {}, dateText(view, delivery.occurredAt, true)),
        h('td', {}, status),
        h('td', {}, String(delivery.attempts)),
        h('td', {}, answer),
        h('td', {}, ...actions),
      );
    }

    function row(webhook: ListedWebhook): HTMLTableRowElement {
      const urlId = `webhook-${webhook.id}-url`;
      const deliveries = h('button', { type: 'button', 'aria-describedby': urlId }, t('deliveries'));
      deliveries.addEventListener('click', () => void showLog(webhook).catch((error: unknown) => view.notify(view.errorText(error))));
      const remove = h('button', { type: 'button', 'aria-describedby': urlId }, t('delete'));
      remove.addEventListener('click', () => {
        if (!window.confirm(t('confirm_delete', { url: webhook.url }))) return;
        void view
          .call(z.unknown(), 'DELETE', `/admin/webhooks/${encodeURIComponent(webhook.id)}`)
          .then(() => {
            log.hidden = true;
            view.notify(t('notice.deleted'));
          })
          .catch((error: unknown) => view.notify(view.errorText(error)))
          .finally(() => void load().catch((error: unknown) => view.notify(view.errorText(error))));
      });
      return h(
        'tr',
        {},
        h('td', { id: urlId }, h('code', {}, webhook.url)),
        h('td', {}, webhook.events.join(', ')),
        h('td', {}, dateText(view, webhook.createdAt)),
        h('td', {}, deliveries, remove),
      );
    }

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      formError.textContent = '';
      const chosen = boxes.filter((box) => box.checked).map((box) => box.value);
      if (chosen.length === 0) {
        formError.textContent = t('create.no_events');
        return;
      }
      submit.disabled = true;
      void view
        .call(createdSchema, 'POST', '/admin/webhooks', { url: url.value.trim(), events: chosen })
        .then(async ({ webhook, secret: shown }) => {
          await load();
          view.notify(t('notice.created'));
          url.value = '';
          showSecretOnce(
            secret,
            { title: t('secret.title', { url: webhook.url }), label: t('secret.label'), once: t('secret.once'), done: t('secret.done') },
            shown,
            () => url.focus(),
          );
        })
        .catch((error: unknown) => {
          formError.textContent = view.errorText(error);
          url.focus();
        })
        .finally(() => {
          submit.disabled = false;
        });
    });

    view.show(
      t('nav'),
      h('p', {}, t('intro')),
      secret,
      table(
        t('table'),
        ['url', 'events', 'created', 'actions'].map((column) => t(`col.${column}`)),
        body,
      ),
      empty,
      log,
      form,
    );
    await load();
  },
};

export const webhooksPages: AdminPage[] = [webhooksPage];
