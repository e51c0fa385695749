// Entry point: parse the environment once, start Homeward, shut down cleanly on a signal.
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { startApp, StartupError, type RunningApp } from './app.js';
import { ConfigError, createConfig, type Config } from './config.js';
import { developmentDataKeys, developmentSecrets } from './secrets.js';
import { DatabaseInUseError } from './store/client.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** How long a shutdown may take before the process exits anyway (open streams are closed, not waited for). */
const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  let config: Config;
  try {
    config = createConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = pino({ level: config.logLevel });
  if (!config.tokenSecret) config = { ...config, tokenSecret: (await developmentSecrets(config.dataDir)).tokenSecret };
  if (!config.dataEncryption) config = { ...config, dataEncryption: await developmentDataKeys(config.dataDir) };

  let app: RunningApp;
  try {
    app = await startApp(config, { logger, root });
  } catch (error) {
    if (error instanceof StartupError || error instanceof DatabaseInUseError) {
      logger.fatal(error.message);
      process.exit(1);
    }
    throw error;
  }

  // `npm start` runs this file in the one process it starts (`node --import tsx`), so a signal to
  // that process reaches the server itself: it closes the HTTP server, the channels, the relays
  // and the database, then exits. A close that hangs does not keep the process alive for ever;
  // a second signal ends it at once.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ signal, afterMs: SHUTDOWN_DEADLINE_MS }, 'shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

await main();
