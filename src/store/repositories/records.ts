// Shared helpers of the repositories: JSON in and out of Prisma, error and id checks.
import { Prisma } from '../generated/client.js';

/** Any value as Prisma JSON input; a JSON round trip, so what is stored is exactly what JSON keeps. */
export function toJsonInput(value: unknown): Prisma.InputJsonValue | typeof Prisma.JsonNull {
  const json: unknown = value === undefined ? null : JSON.parse(JSON.stringify(value));
  return json === null ? Prisma.JsonNull : (json as Prisma.InputJsonValue);
}

/** For nullable JSON columns: undefined and null are stored as SQL NULL. */
export function toOptionalJsonInput(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  const json = toJsonInput(value);
  return json === Prisma.JsonNull ? undefined : (json as Prisma.InputJsonValue);
}

export function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUID columns: anything else would be a database error rather than "not found". */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}
