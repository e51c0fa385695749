// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database in
// ./data when it is unset (refused while the server holds that folder).
import { DatabaseInUseError, openDatabase } from '../client.js';
import { migrateDatabase } from '../migrate.js';

const databaseUrl = process.env.DATABASE_URL || undefined;
try {
  const db = await openDatabase({ databaseUrl, dataDir: './data' });
  try {
    const applied = await migrateDatabase(db);
    const where = db.kind === 'pglite' ? 'the embedded database in ./data' : 'DATABASE_URL';
    console.log(applied.length ? `applied to ${where}: ${applied.join(', ')}` : `${where} is up to date`);
  } finally {
    await db.close();
  }
} catch (error) {
  console.error(error instanceof DatabaseInUseError ? error.message : error);
  process.exitCode = 1;
}
