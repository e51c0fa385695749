// The analytics query: which days, which channel, which language. Days are calendar days in the
// organisation's time zone, so "Monday" means the office's Monday and not UTC's.
import { z } from 'zod';

/** The longest period one request may cover: a year, leap day included. */
export const MAX_PERIOD_DAYS = 366;

export const analyticsChannels = ['web', 'telegram'] as const;
export type AnalyticsChannel = (typeof analyticsChannels)[number];

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((value) => dayNumber(value) !== null, 'not a calendar date');

/** An empty form field (`channel=`) means "all", as if it were left out. */
const blankIsAbsent = (value: unknown) => (value === '' ? undefined : value);

export const analyticsQuerySchema = z
  .strictObject({
    from: isoDay,
    to: isoDay,
    channel: z.preprocess(blankIsAbsent, z.enum(analyticsChannels).optional()),
    // A client language code as conversations store it (`de`, `fa-AF`).
    language: z.preprocess(
      blankIsAbsent,
      z
        .string()
        .max(35)
        .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
        .optional(),
    ),
    /** The language of the chart labels (a console language); the base language when unknown. */
    lng: z.preprocess(
      blankIsAbsent,
      z
        .string()
        .regex(/^[a-z]{2,3}$/)
        .optional(),
    ),
  })
  .refine((query) => query.from <= query.to, { message: 'from must not be after to', path: ['to'] })
  .refine((query) => periodDays(query.from, query.to) <= MAX_PERIOD_DAYS, { message: `at most ${MAX_PERIOD_DAYS} days`, path: ['to'] });

export type AnalyticsQuery = z.infer<typeof analyticsQuerySchema>;

/** What the figures are about, as the answers repeat it. */
export interface AnalyticsPeriod {
  from: string;
  to: string;
  /** IANA name of the zone the days are counted in. */
  timeZone: string;
  channel: AnalyticsChannel | null;
  language: string | null;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, or null if it is not a real date (2025-02-30). */
function dayNumber(value: string): number | null {
  const time = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(time)) return null;
  return new Date(time).toISOString().slice(0, 10) === value ? time / 86_400_000 : null;
}

/** Days from `from` to `to`, both included. */
export function periodDays(from: string, to: string): number {
  return (dayNumber(to) ?? 0) - (dayNumber(from) ?? 0) + 1;
}

/** Every day of the period in order, so days without any event still appear (as zeros). */
export function daysOf(from: string, to: string): string[] {
  const first = dayNumber(from);
  if (first === null) return [];
  return Array.from({ length: Math.max(0, periodDays(from, to)) }, (_, index) => new Date((first + index) * 86_400_000).toISOString().slice(0, 10));
}

/** The organisation's zone if this runtime knows it; otherwise UTC, which the database always knows. */
export function usableTimeZone(zone: string | null | undefined): string {
  if (!zone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}
