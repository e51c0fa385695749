import { PGlite, messages } from '@electric-sql/pglite';
import { DriverAdapterError, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';

/**
 * `pglite-prisma-adapter` with two fixes:
 * - its `executeScript` does not await `exec`: a failing migration was recorded as applied and
 *   its error surfaced as an unhandled rejection (which ends a Node process);
 * - its shadow database (used by the schema engine to replay migrations) is never closed; here
 *   each shadow is a fresh in-memory PGlite, closed when its connection is disposed of.
 */
export function pgliteAdapterFactory(db: PGlite): SqlMigrationAwareDriverAdapterFactory {
  const base = new PrismaPGlite(db);
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => awaitScripts(await base.connect(), db),
    connectToShadowDb: shadowConnector,
  };
}

/** Fresh in-memory databases for engine commands that need no real one (`diff`). */
export function throwawayPgliteFactory(): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: 'postgres',
    adapterName: 'pglite-throwaway',
    connect: shadowConnector,
    connectToShadowDb: shadowConnector,
  };
}

let emptyDataDir: Promise<Blob> | undefined;

/**
 * A new, empty in-memory PGlite. Restoring a saved empty data folder takes ~0.7 s where a fresh
 * `initdb` takes ~2.5 s on the build machines, so the first call pays once per process.
 */
export async function freshMemoryPglite(): Promise<PGlite> {
  emptyDataDir ??= (async () => {
    const template = await PGlite.create('memory://');
    try {
      await template.exec('CHECKPOINT');
      return await template.dumpDataDir('none');
    } finally {
      await template.close();
    }
  })();
  return PGlite.create('memory://', { loadDataDir: await emptyDataDir });
}

async function shadowConnector(): Promise<SqlDriverAdapter> {
  const shadow = await freshMemoryPglite();
  const adapter = awaitScripts(await new PrismaPGlite(shadow).connect(), shadow);
  adapter.dispose = () => shadow.close();
  return adapter;
}

function awaitScripts(adapter: SqlDriverAdapter, db: PGlite): SqlDriverAdapter {
  // Delegates everything else to the original adapter through the prototype chain.
  const fixed: SqlDriverAdapter = Object.create(adapter);
  fixed.executeScript = async (script: string) => {
    try {
      await db.exec(script);
    } catch (error) {
      if (error instanceof messages.DatabaseError) {
        throw new DriverAdapterError({
          kind: 'postgres',
          code: error.code ?? 'N/A',
          severity: error.severity ?? 'N/A',
          message: error.message,
          detail: error.detail,
          column: error.column,
          hint: error.hint,
        });
      }
      throw error;
    }
  };
  return fixed;
}
