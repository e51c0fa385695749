// Entry point: parse the environment once, start Homeward, shut down cleanly on a signal.
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { startApp, StartupError } from './app.js';
import { ConfigError, createConfig } from './config.js';
import { developmentDataKeys, developmentSecrets } from './secrets.js';
import { DatabaseInUseError } from './store/client.js';

const root = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<void> {
  let config;
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

  let app;
  try {
    app = await startApp(config, { logger, root });
  } catch (error) {
    if (error instanceof StartupError || error instanceof DatabaseInUseError) {
      logger.fatal(error.message);
      process.exit(1);
    }
    throw error;
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
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
