import type { PrismaClient } from '../generated/client.js';

/**
 * The hot path's reads and writes as plain SQL: Prisma's query compiler and interpreter cost
 * ~0.6-3 ms of CPU per query, a raw statement ~0.25 ms (measured in .scratch-style runs; see the
 * README's performance notes). Rows come back as `row_to_json` text, parsed here, so PGlite and
 * PostgreSQL give the same shapes; `timestamp` columns are turned back into Dates (they hold UTC).
 * Table names are unqualified: the connection's search_path names the schema.
 */
export async function rawRows<T>(prisma: PrismaClient, sql: string, params: readonly unknown[], dateKeys: readonly string[]): Promise<T[]> {
  const rows = await prisma.$queryRawUnsafe<{ row: string }[]>(sql, ...params);
  return rows.map((row) => withDates(JSON.parse(row.row) as Record<string, unknown>, dateKeys) as T);
}

/** `row_to_json` writes a `timestamp` as wall-clock text without a zone; ours hold UTC. */
export function withDates(row: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  for (const key of keys) {
    const value = row[key];
    if (typeof value === 'string') row[key] = new Date(/[Zz]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  }
  return row;
}

export const conversationDateKeys = ['createdAt', 'updatedAt', 'unreachableAt', 'intakeCompletedAt'] as const;
export const messageDateKeys = ['createdAt'] as const;
