// The web channel, assembled: Direct Line 3.0 routes and stream, the optional Azure Bot Service
// endpoint, and proactive delivery. botbuilder is used only inside this folder.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { TurnProcessor } from '../../conversation/turn-processor.js';
import { textDirection } from '../../conversation/render.js';
import type { LocaleInfo } from '../../engine/types.js';
import type { FieldCipher } from '../../crypto/field-cipher.js';
import type { TokenBuckets } from '../../http/rate-limit.js';
import type { ConversationRepository } from '../../store/repositories/conversations.js';
import type { OrganisationRepository } from '../../store/repositories/organisations.js';
import { DirectLineAdapter } from './adapter.js';
import { createAzureBotRouter } from './azure.js';
import { createDeliveryKeys, WebBot } from './bot.js';
import { createLogRef } from './log-ref.js';
import { directLineCors } from './cors.js';
import { createAuthoriser } from './directline/auth.js';
import { createDirectLineRouter } from './directline/router.js';
import { createDirectLineStream, type DirectLineStream } from './directline/stream.js';
import { InProcessConversationFeed, type ConversationFeed } from './feed.js';
import type { OriginPolicy } from './origins.js';
import { createProactiveSender, type ProactiveSender } from './proactive.js';
import { createTokenService, type TokenService } from './tokens.js';

export interface WebChannelDeps {
  config: Pick<Config, 'azureBot'> & { http: Pick<Config['http'], 'publicUrl'> };
  tokenSecret: string;
  organisations: OrganisationRepository;
  conversations: ConversationRepository;
  turns: TurnProcessor;
  locales: readonly LocaleInfo[];
  logger: Logger;
  /** The data cipher: receipts of retried posts are stored under its blind index, never as the conversation id. */
  cipher: Pick<FieldCipher, 'blindIndex'>;
  /** Posts per conversation, taken after the token is verified. */
  perConversation?: TokenBuckets;
  /** Defaults to the in-process feed; several instances pass one over PostgreSQL. */
  feed?: ConversationFeed;
  keepAliveMs?: number;
  /** The organisations' allowed sites with the server's fallback; remembers refused origins for the admin. */
  origins: OriginPolicy;
}

export interface WebChannel {
  /** `/v3/directline/*` and, when configured, `/api/messages`. */
  router: Router;
  /** For the HTTP server's `upgrade` event: true when the socket was a Direct Line stream. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  feed: ConversationFeed;
  tokens: TokenService;
  proactive: ProactiveSender;
  close(): Promise<void>;
}

export function createWebChannel(deps: WebChannelDeps): WebChannel {
  const feed = deps.feed ?? new InProcessConversationFeed(deps.logger);
  const tokens = createTokenService(deps.tokenSecret);
  const directionOf = (locale: string) => textDirection(locale, deps.locales);
  const adapter = new DirectLineAdapter(feed);
  const bot = new WebBot({
    turns: deps.turns,
    conversations: deps.conversations,
    feed,
    directionOf,
    logger: deps.logger,
    deliveryKeyOf: createDeliveryKeys(deps.cipher),
  });
  const logRef = createLogRef(deps.tokenSecret);
  const authoriser = createAuthoriser({ organisations: deps.organisations, conversations: deps.conversations, tokens, origins: deps.origins });

  const router = Router();
  router.use(
    '/v3/directline',
    directLineCors({ allowedOrigins: () => deps.organisations.listAllowedOrigins(), origins: deps.origins }),
    createDirectLineRouter({
      authoriser,
      tokens,
      conversations: deps.conversations,
      adapter,
      bot,
      directionOf,
      ...(deps.config.http.publicUrl ? { publicUrl: deps.config.http.publicUrl } : {}),
      ...(deps.perConversation ? { perConversation: deps.perConversation } : {}),
    }),
  );
  const azureSettings = deps.config.azureBot;
  const azure = azureSettings
    ? createAzureBotRouter({ settings: azureSettings, bot, organisations: deps.organisations, logger: deps.logger, logRef })
    : undefined;
  if (azure) router.use(azure.router);

  const stream: DirectLineStream = createDirectLineStream({
    authoriser,
    conversations: deps.conversations,
    feed,
    directionOf,
    logger: deps.logger,
    logRef,
    ...(deps.keepAliveMs !== undefined ? { keepAliveMs: deps.keepAliveMs } : {}),
  });

  return {
    router,
    handleUpgrade: (req, socket, head) => stream.handleUpgrade(req, socket, head),
    feed,
    tokens,
    proactive: createProactiveSender({
      directLine: adapter,
      ...(azure && azureSettings ? { azure: { adapter: azure.adapter, appId: azureSettings.appId } } : {}),
      directionOf,
    }),
    async close() {
      await stream.close();
      await feed.close();
    },
  };
}
