import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { TurnProcessor } from './conversation/turn-processor.js';
import { createTelegramChannel, type TelegramChannel } from './channels/telegram/index.js';
import { createWebChannel, type WebChannel } from './channels/web/index.js';
import { createPostgresFeed, directLineChannelFor } from './channels/web/pg-feed.js';
import { createEngineContext } from './engine/context.js';
import { compileSafetyLexicons } from './safety/detector.js';
import { createWidgetRouter } from './channels/web/widget/router.js';
import { defaultOriginRules, OriginPolicy } from './channels/web/origins.js';
import { checkFlows } from './authoring/check.js';
import { formatIssue } from './flows/load.js';
import { answerClientErrors } from './http/client-errors.js';
import { errorHandler, notFound } from './http/errors.js';
import { healthHandler } from './http/health.js';
import { clientAddress, rateLimit, TokenBuckets } from './http/rate-limit.js';
import { upgradeRateLimit } from './http/upgrade-limit.js';
import { securityHeaders } from './http/security.js';
import { createLocalisation, type Localisation } from './i18n/index.js';
import { hiddenLocales } from './i18n/offered.js';
import { openDatabase, type Database } from './store/client.js';
import { migrateDatabase } from './store/migrate.js';
import { createConversationRepository, type ConversationRepository } from './store/repositories/conversations.js';
import { createOrganisationRepository, type OrganisationRepository } from './store/repositories/organisations.js';
import { ConsoleAuth } from './console/auth/auth.js';
import { createPostgresRevocations, revocationChannelFor } from './console/auth/pg-revocations.js';
import { withRevocationNotices } from './console/auth/revocation-notices.js';
import { createInProcessRevocations, type ClosableRevocations } from './console/auth/revocations.js';
import { mountConsole } from './console/index.js';
import { createInProcessEvents, type HandoffEvents } from './handoff/events.js';
import { HandoffService } from './handoff/service.js';
import { createTurnHandoffPort } from './handoff/turn-port.js';
import { createConsoleRepository } from './store/repositories/console.js';
import { createReferralRepository } from './store/repositories/referrals.js';
import { createOutboxRepository, type OutboxRepository } from './store/repositories/outbox.js';
import { createPrivacyRepository } from './store/repositories/privacy.js';
import { Erasure } from './privacy/erasure.js';
import { createTranslationCache } from './store/repositories/translations.js';
import { CachedTranslation } from './translation/cached.js';
import { createLibreTranslate } from './translation/libretranslate.js';
import { resolveDataCipher } from './privacy/keys.js';
import { RetentionJob } from './privacy/retention.js';
import { privacyConsoleRouter } from './console/admin/privacy-routes.js';
import { localesConsoleRouter } from './console/api/locales.js';
import { queueSettingsRouter } from './console/api/queue-settings.js';
import { flowsAdminRouter } from './console/admin/flows-routes.js';
import { adminSettingsRouter } from './console/admin/settings-routes.js';
import { analyticsConsoleRouter } from './console/admin/analytics-router.js';
import { createAnalyticsRepository } from './store/repositories/analytics.js';
import { programmesConsoleRouter } from './console/admin/programmes-routes.js';
import { usersAdminRouter } from './console/admin/users-routes.js';
import { apiKeysAdminRouter } from './console/admin/api-keys-routes.js';
import { ownPasswordRouter } from './console/auth/own-password-routes.js';
import { ownProfileRouter } from './console/auth/own-profile-routes.js';
import { SetupGate, setupRouter, setupUrl } from './console/admin/setup-routes.js';
import { createPostgresEvents, notifyChannelFor, type PostgresEvents } from './handoff/pg-events.js';
import { startRelay, type Relay } from './handoff/relay.js';
import { webRelayTarget } from './channels/web/relay-target.js';
import { textDirection } from './conversation/render.js';
import { consoleEventsRouter } from './console/api/events.js';
import { createConsolePagesRouter } from './console/pages/router.js';
import { startWebhookSender, withWebhookEvents, type WebhookSender } from './handoff/webhooks.js';
import { createWebhookRepository } from './store/repositories/webhooks.js';
import { webhooksAdminRouter } from './console/admin/webhooks-routes.js';

export interface AppOptions {
  logger: Logger;
  /** The project folder holding `flows/` and `locales/`. */
  root: string;
  /** Tests pass an isolated PostgreSQL schema. */
  pgSchema?: string;
  /** Today's date for departure deadlines (conversations and the console's "try a case"); the system clock by default. */
  clock?: () => Date;
}

export interface RunningApp {
  server: Server;
  url: string;
  db: Database;
  localisation: Localisation;
  turns: TurnProcessor;
  organisations: OrganisationRepository;
  conversations: ConversationRepository;
  outbox: OutboxRepository;
  /** Referrals, the queue and the console's actions (human handoff). */
  handoff: HandoffService;
  /** Handoff events for live consoles; with PostgreSQL, relayed across instances by LISTEN/NOTIFY. */
  handoffEvents: HandoffEvents;
  /** Present when `TELEGRAM_BOT_TOKEN` is set. */
  telegram?: TelegramChannel;
  web: WebChannel;
  /** Deletes what is past its retention time; runs every RETENTION_INTERVAL_MINUTES. */
  retention: RetentionJob;
  /** The first-run link (also logged) when no console user existed at start; it works once. */
  setupUrl?: string;
  close(): Promise<void>;
}

export class StartupError extends Error {
  override name = 'StartupError';
}

/**
 * Builds and starts Homeward: checks flows, opens and migrates the database, seeds the demo
 * organisation where appropriate, and listens. Everything it needs comes from `config`.
 */
export async function startApp(config: Config, options: AppOptions): Promise<RunningApp> {
  const startedAt = Date.now();
  const { logger } = options;

  const localisation = await createLocalisation(join(options.root, 'locales'));
  const { loaded, issues, programmes, safetyLexicons } = checkFlows(join(options.root, 'flows'), localisation, config.entryFlow);
  if (issues.length > 0) throw new StartupError(`The flows have problems:\n${issues.map(formatIssue).join('\n')}`);
  const engine = createEngineContext(loaded.flows, localisation, config.entryFlow, compileSafetyLexicons(safetyLexicons), programmes);

  const db = await openDatabase({
    ...(config.database.kind === 'postgres' ? { databaseUrl: config.database.url, statementTimeoutMs: config.databaseTimeouts.statementMs } : {}),
    dataDir: config.database.kind === 'embedded' ? config.database.dataDir : config.dataDir,
    ...(options.pgSchema ? { pgSchema: options.pgSchema } : {}),
  });
  // Several instances share handoff events over PostgreSQL; closed with the database.
  let pgEvents: PostgresEvents | undefined;
  let relay: Relay | undefined;
  let retention: RetentionJob | undefined;
  let revocations: ClosableRevocations | undefined;
  let webhookSender: WebhookSender | undefined;
  try {
    const applied = await migrateDatabase(db);
    if (applied.length > 0) logger.info({ applied }, 'database migrations applied');

    const organisations = createOrganisationRepository(db.prisma);
    // Message texts, answers and referral records are sealed at rest (src/crypto/field-cipher.ts).
    const cipher = await resolveDataCipher(config);
    const conversations = createConversationRepository(db.prisma, { cipher });
    const outbox = createOutboxRepository(db.prisma, { cipher });
    const referrals = createReferralRepository(db.prisma, { cipher });
    const privacy = createPrivacyRepository(db.prisma);
    if (config.database.kind === 'postgres') {
      pgEvents = await createPostgresEvents({
        databaseUrl: config.database.url,
        channel: notifyChannelFor(options.pgSchema),
        logger,
        storedText: async (conversationId, seq) => (await conversations.listMessages(conversationId, { afterSeq: seq - 1, limit: 1 }))[0]?.text ?? null,
      });
    }
    // Ended sessions and keys close live console streams on every instance (src/console/api/events.ts).
    revocations = pgEvents
      ? createPostgresRevocations({ events: pgEvents, channel: revocationChannelFor(options.pgSchema), logger })
      : createInProcessRevocations((error) => logger.error({ err: error }, 'a revocation listener failed'));
    const consoleRepository = withRevocationNotices(createConsoleRepository(db.prisma), revocations);
    // Read by conversations and referrals alike, so a referral evaluates what the person was told about.
    // Referral events and erasures published here are also queued for the organisation's webhooks (sent after start).
    const webhooks = createWebhookRepository(db.prisma, { cipher });
    const handoffEvents = withWebhookEvents(pgEvents ?? createInProcessEvents((error) => logger.error({ err: error }, 'a handoff event listener failed')), {
      webhooks,
      logger,
      queued: () => webhookSender?.wake(),
    });
    // Off without TRANSLATION_URL: the console then shows and sends every text as written.
    const translation = config.translation
      ? new CachedTranslation(
          createLibreTranslate({
            url: config.translation.url,
            timeoutMs: config.translation.timeoutMs,
            ...(config.translation.apiKey ? { apiKey: config.translation.apiKey } : {}),
          }),
          createTranslationCache(db.prisma, { cipher }),
          (error) => logger.warn({ failure: error.failure, status: error.status }, 'machine translation failed; the text stays as written'),
        )
      : undefined;
    const handoff = new HandoffService({
      ...(translation ? { translation } : {}),
      referrals,
      conversations,
      programmes,
      i18n: localisation.i18n,
      translatorFor: localisation.translatorFor,
      events: handoffEvents,
      logger,
      emergencyContactsOf: (id) => organisations.emergencyContactsOf(id),
      disabledProgrammesOf: (id) => organisations.disabledProgrammesOf(id),
    });
    if (config.database.kind === 'embedded' || config.mode !== 'production') await organisations.ensureDemoOrganisation();

    const turns = new TurnProcessor({
      conversations,
      engine,
      chooseLocale: localisation.choose,
      defaultLocaleOf: async (organisationId) => (await organisations.findById(organisationId))?.defaultLocale ?? 'en',
      logger,
      handoff: createTurnHandoffPort(handoff, referrals, logger),
      erasure: new Erasure({ privacy, events: handoffEvents, logger }),
      disabledProgrammesOf: (organisationId) => organisations.disabledProgrammesOf(organisationId),
      hiddenLocalesOf: async (organisationId) =>
        hiddenLocales(localisation.locales, (await organisations.findById(organisationId))?.hideDraftLanguages ?? false, localisation.baseLocale),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    retention = new RetentionJob({ privacy, logins: consoleRepository, logger });

    // Public endpoints, limited per IP address and per conversation (README: Privacy and security).
    const perIp = new TokenBuckets(config.rateLimits.perIp);
    const perConversation = new TokenBuckets(config.rateLimits.perConversation);
    // An organisation without allowed sites fails closed: only PUBLIC_URL (and localhost outside production).
    const origins = new OriginPolicy(defaultOriginRules({ mode: config.mode, ...(config.http.publicUrl ? { publicUrl: config.http.publicUrl } : {}) }));
    const web = createWebChannel({
      config,
      cipher,
      perConversation,
      origins,
      // Only tests start the app without one (main always sets it): their tokens need not outlive the process.
      tokenSecret: config.tokenSecret ?? randomBytes(32).toString('base64url'),
      organisations,
      conversations,
      turns,
      locales: localisation.locales,
      logger,
      // Several instances: a person's stream sees the activities every instance stores (embedded PGlite runs one).
      ...(pgEvents ? { feed: createPostgresFeed({ events: pgEvents, channel: directLineChannelFor(options.pgSchema), logger }) } : {}),
    });

    const telegram =
      config.telegram.mode === 'off'
        ? undefined
        : createTelegramChannel(config.telegram, {
            turns,
            conversations,
            organisations,
            outbox,
            localisation,
            logger,
            webhookLimits: { perIp, perChat: perConversation },
          });

    relay = startRelay({
      events: handoffEvents,
      outbox,
      conversations,
      web: webRelayTarget({ feed: web.feed, proactive: web.proactive, directionOf: (locale) => textDirection(locale, localisation.locales) }),
      ...(telegram ? { telegram } : {}),
      logger,
    });

    const app = express();
    app.disable('x-powered-by');
    app.use(securityHeaders({ production: config.mode === 'production', ...(config.http.publicUrl ? { publicUrl: config.http.publicUrl } : {}) }));
    if (config.trustProxyHops > 0) app.set('trust proxy', config.trustProxyHops);
    app.use(['/v3/directline', '/v3/widget'], rateLimit(perIp, 'ip', clientAddress));
    // The per-conversation limit is taken inside the Direct Line router, once the token is verified.
    app.get('/healthz', healthHandler({ databaseKind: db.kind, probe: () => db.probe(config.databaseTimeouts.healthMs) }, startedAt));
    app.use(await createWidgetRouter({ localisation, organisations, origins }));
    app.use(web.router);
    if (telegram?.router) app.use(telegram.router);
    const consoleAuth = new ConsoleAuth({
      repository: consoleRepository,
      revocations,
      secureCookies: config.mode === 'production',
      ...(config.http.publicUrl ? { trustedOrigins: [new URL(config.http.publicUrl).origin] } : {}),
    });
    mountConsole(app, {
      auth: consoleAuth,
      handoff,
      conversations,
      console: consoleRepository,
      localisation,
      programmes,
      ...(translation ? { translation } : {}),
    });
    app.use('/console/api', privacyConsoleRouter({ auth: consoleAuth, console: consoleRepository, privacy }));
    app.use('/console/api', localesConsoleRouter({ auth: consoleAuth, localisation }));
    app.use('/console/api', queueSettingsRouter({ auth: consoleAuth, organisations }));
    app.use('/console/api', flowsAdminRouter({ auth: consoleAuth, flows: loaded.flows, localisation }));
    app.use(
      adminSettingsRouter({
        auth: consoleAuth,
        console: consoleRepository,
        organisations,
        localisation,
        origins,
        ...(config.http.publicUrl ? { publicUrl: config.http.publicUrl } : {}),
      }),
    );
    app.use(
      '/console/api',
      analyticsConsoleRouter({ auth: consoleAuth, console: consoleRepository, analytics: createAnalyticsRepository(db.prisma), localisation }),
    );
    app.use(
      '/console/api',
      programmesConsoleRouter({
        auth: consoleAuth,
        console: consoleRepository,
        programmes,
        settings: organisations,
        localisation,
        ...(options.clock ? { clock: options.clock } : {}),
      }),
    );
    app.use('/console/api', usersAdminRouter({ auth: consoleAuth, console: consoleRepository }));
    app.use('/console/api', apiKeysAdminRouter({ auth: consoleAuth, console: consoleRepository }));
    app.use('/console/api', webhooksAdminRouter({ auth: consoleAuth, console: consoleRepository, webhooks, production: config.mode === 'production' }));
    app.use('/console/api', ownPasswordRouter({ auth: consoleAuth, console: consoleRepository }));
    app.use('/console/api', ownProfileRouter({ auth: consoleAuth, console: consoleRepository, ...(options.clock ? { clock: options.clock } : {}) }));
    const firstRun = await SetupGate.open(consoleRepository, new Date());
    app.use('/console/api', setupRouter({ gate: firstRun.gate, console: consoleRepository, organisations, localisation }));
    app.use('/console/api', consoleEventsRouter({ auth: consoleAuth, events: handoffEvents }));
    app.use(createConsolePagesRouter({ localisation }));
    app.use(notFound);
    app.use(errorHandler(logger));

    const server = createServer(app);
    answerClientErrors(server, logger);
    // WebSocket upgrades never pass express's middleware: the same per-IP buckets are applied here.
    const admitUpgrade = upgradeRateLimit(perIp, config.trustProxyHops);
    server.on('upgrade', (req, socket, head) => {
      if (!admitUpgrade(req, socket)) return;
      if (!web.handleUpgrade(req, socket, head)) socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.http.port, config.http.host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    logger.info({ url, database: db.kind, startupMs: Date.now() - startedAt }, 'Homeward is ready');
    const firstRunUrl = firstRun.token ? setupUrl(config.http.publicUrl ?? url, firstRun.token) : undefined;
    if (firstRunUrl)
      logger.info(
        { setupUrl: firstRunUrl },
        'No console user yet: open this link to create the organisation and its first administrator (it works once, for 24 hours)',
      );
    // After listening: in webhook mode Telegram may call as soon as the webhook is registered.
    await telegram?.start();
    retention.start(config.retentionIntervalMinutes * 60_000);
    // Deliveries queued before a restart go out now.
    webhookSender = startWebhookSender({ webhooks, settings: config.webhooks, logger });

    return {
      server,
      url,
      db,
      localisation,
      turns,
      organisations,
      conversations,
      outbox,
      handoff,
      handoffEvents,
      ...(telegram ? { telegram } : {}),
      web,
      retention,
      ...(firstRunUrl ? { setupUrl: firstRunUrl } : {}),
      close: async () => {
        await webhookSender?.close();
        await retention?.stop();
        await relay?.close();
        await telegram?.stop();
        await web.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await pgEvents?.close();
        await revocations?.close();
        await db.close();
      },
    };
  } catch (error) {
    await webhookSender?.close();
    await retention?.stop();
    await relay?.close();
    await pgEvents?.close();
    await revocations?.close();
    await db.close();
    throw error;
  }
}
