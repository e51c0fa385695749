// `npm run db:migrate`: applies pending migrations to the database the server would use
// (DATABASE_URL, or the embedded one in DATA_DIR; refused while the server holds that folder).
import { ConfigError, createConfig } from '../../config.js';
import { DatabaseInUseError, openDatabase } from '../client.js';
import { migrateDatabase } from '../migrate.js';

try {
  const { database, dataDir } = createConfig(process.env);
  const db = await openDatabase(database.kind === 'postgres' ? { databaseUrl: database.url, dataDir } : { dataDir: database.dataDir });
  try {
    const applied = await migrateDatabase(db);
    const where = db.kind === 'pglite' ? `the embedded database in ${dataDir}` : 'DATABASE_URL';
    console.log(applied.length ? `applied to ${where}: ${applied.join(', ')}` : `${where} is up to date`);
  } finally {
    await db.close();
  }
} catch (error) {
  console.error(error instanceof DatabaseInUseError || error instanceof ConfigError ? error.message : error);
  process.exitCode = 1;
}
