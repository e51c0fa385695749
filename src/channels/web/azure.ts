import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import express, { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { OrganisationRepository } from '../../store/repositories/organisations.js';
import type { LogRefOf } from './log-ref.js';
import type { WebBot } from './bot.js';
import { maxActivityBytes } from './directline/router.js';

/**
 * Requests that cannot carry a Bot Framework JWT are refused here; botbuilder would refuse them
 * too, but prints each refusal to stderr, which anyone probing the URL could fill.
 */
export const azureHeadersSchema = z.object({
  authorization: z.string().regex(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/, 'a Bot Framework JWT is required'),
});

export interface AzureBotSettings {
  appId: string;
  appPassword: string;
  /** Set for a single-tenant bot registration. */
  tenantId?: string;
  /** Widget key of the organisation whose conversations these are. */
  organisationKey: string;
}

/**
 * `POST /api/messages` for Azure Bot Service: botbuilder's CloudAdapter checks the Bot Framework
 * JWT (401 without a valid one) and replies through the channel's connector. Conversations are
 * stored as channel `web` with channelRef `<channelId>:<conversation id>`.
 */
export function createAzureBotRouter(deps: {
  settings: AzureBotSettings;
  bot: WebBot;
  organisations: OrganisationRepository;
  logger: Logger;
  logRef: LogRefOf;
}): {
  router: Router;
  adapter: CloudAdapter;
} {
  const { settings } = deps;
  const options = {
    MicrosoftAppId: settings.appId,
    MicrosoftAppPassword: settings.appPassword,
    MicrosoftAppType: settings.tenantId ? 'SingleTenant' : 'MultiTenant',
    ...(settings.tenantId ? { MicrosoftAppTenantId: settings.tenantId } : {}),
  };
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options, new ConfigurationServiceClientCredentialFactory(options)));
  adapter.onTurnError = async (context, error) => {
    deps.logger.error(
      { err: error, channelId: context.activity.channelId, conversation: deps.logRef(`${context.activity.channelId}:${context.activity.conversation?.id}`) },
      'Azure Bot Service turn failed',
    );
  };

  const router = Router();
  router.post('/api/messages', express.json({ limit: maxActivityBytes }), async (req, res) => {
    if (!azureHeadersSchema.safeParse(req.headers).success) {
      res.status(401).json({ error: { code: 401, message: 'a Bot Framework JWT is required' } });
      return;
    }
    await adapter.process(req, res, async (context) => {
      const organisation = await deps.organisations.findByWidgetKey(settings.organisationKey);
      if (!organisation) throw new Error(`no organisation has the widget key set in MICROSOFT_APP_ORGANISATION_KEY`);
      const result = await deps.bot.handle(context, {
        organisationId: organisation.id,
        channelRef: `${context.activity.channelId}:${context.activity.conversation.id}`,
        preferredLocales: [],
        echo: false,
      });
      if (result.status === 'rejected')
        deps.logger.warn({ channelId: context.activity.channelId, reason: result.reason }, 'Azure activity not understood; ignored');
    });
  });
  return { router, adapter };
}
