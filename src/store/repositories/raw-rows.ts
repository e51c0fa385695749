import { Prisma, type PrismaClient } from '../generated/client.js';

/**
 * The hot path's reads and writes as plain SQL: Prisma's query compiler and interpreter cost
 * ~0.6-4 ms of CPU per query (a turn's write in a transaction ~4 ms), a raw statement ~0.25 ms
 * (measured against PostgreSQL on the 2-core development machine; README: Performance). Rows come back as `row_to_json` text, parsed here, so PGlite and
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
export const referralDateKeys = ['createdAt', 'updatedAt', 'closedAt', 'claimedAt'] as const;

/** A raw statement's unique violation (SQLSTATE 23505), as the driver adapters report it. */
export function isRawUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === 'P2002') return true;
  const meta = error.meta as { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } } | undefined;
  return (
    meta?.code === '23505' ||
    meta?.driverAdapterError?.cause?.originalCode === '23505' ||
    meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation' ||
    /23505|unique constraint/i.test(error.message)
  );
}
