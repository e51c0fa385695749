import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { TurnProcessor } from './conversation/turn-processor.js';
import { createEngineContext } from './engine/context.js';
import { checkFlows } from './flows/check.js';
import { formatIssue } from './flows/load.js';
import { errorHandler, notFound } from './http/errors.js';
import { healthHandler } from './http/health.js';
import { securityHeaders } from './http/security.js';
import { createLocalisation, type Localisation } from './i18n/index.js';
import { openDatabase, type Database } from './store/client.js';
import { migrateDatabase } from './store/migrate.js';
import { createConversationRepository, type ConversationRepository } from './store/repositories/conversations.js';
import { createOrganisationRepository, type OrganisationRepository } from './store/repositories/organisations.js';

export interface AppOptions {
  logger: Logger;
  /** The project folder holding `flows/` and `locales/`. */
  root: string;
  /** Tests pass an isolated PostgreSQL schema. */
  pgSchema?: string;
}

export interface RunningApp {
  server: Server;
  url: string;
  db: Database;
  localisation: Localisation;
  turns: TurnProcessor;
  organisations: OrganisationRepository;
  conversations: ConversationRepository;
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
  const { loaded, issues, programmes } = checkFlows(join(options.root, 'flows'), localisation, config.entryFlow);
  if (issues.length > 0) throw new StartupError(`The flows have problems:\n${issues.map(formatIssue).join('\n')}`);
  const engine = createEngineContext(loaded.flows, localisation, config.entryFlow, programmes);

  const db = await openDatabase({
    ...(config.database.kind === 'postgres' ? { databaseUrl: config.database.url } : {}),
    dataDir: config.database.kind === 'embedded' ? config.database.dataDir : config.dataDir,
    ...(options.pgSchema ? { pgSchema: options.pgSchema } : {}),
  });
  try {
    const applied = await migrateDatabase(db);
    if (applied.length > 0) logger.info({ applied }, 'database migrations applied');

    const organisations = createOrganisationRepository(db.prisma);
    const conversations = createConversationRepository(db.prisma);
    if (config.database.kind === 'embedded' || config.mode !== 'production') await organisations.ensureDemoOrganisation();

    const turns = new TurnProcessor({
      conversations,
      engine,
      chooseLocale: localisation.choose,
      defaultLocaleOf: async (organisationId) => (await organisations.findById(organisationId))?.defaultLocale ?? 'en',
      logger,
    });

    const app = express();
    app.disable('x-powered-by');
    app.use(securityHeaders);
    app.get(
      '/healthz',
      healthHandler(
        {
          databaseKind: db.kind,
          appliedMigrations: async () => {
            const rows = await db.prisma.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM _prisma_migrations WHERE finished_at IS NOT NULL`;
            return Number(rows[0]?.count ?? 0);
          },
        },
        startedAt,
      ),
    );
    app.use(notFound);
    app.use(errorHandler(logger));

    const server = createServer(app);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.http.port, config.http.host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    logger.info({ url, database: db.kind, startupMs: Date.now() - startedAt }, 'Homeward is ready');

    return {
      server,
      url,
      db,
      localisation,
      turns,
      organisations,
      conversations,
      close: async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
