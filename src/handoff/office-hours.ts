import { z } from 'zod';

/*
 * An organisation's weekly opening hours in its own time zone. Stored as JSON on the organisation
 * (validated here at every read); null means the default week, Monday to Friday 09:00-17:00.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected HH:MM');
const toMinutes = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

const intervalSchema = z
  .strictObject({ from: clock, to: clock })
  .refine((interval) => toMinutes(interval.from) < toMinutes(interval.to), { message: '"from" must be before "to"' });

const day = z.array(intervalSchema).max(4).default([]);

export const officeHoursSchema = z.strictObject({
  week: z.strictObject({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }),
  /** Whole days closed (public holidays), as YYYY-MM-DD in the office's time zone. */
  closedDates: z.array(z.iso.date()).default([]),
});
export type OfficeHours = z.infer<typeof officeHoursSchema>;

const nine = [{ from: '09:00', to: '17:00' }];
export const defaultOfficeHours: OfficeHours = {
  week: { mon: nine, tue: nine, wed: nine, thu: nine, fri: nine, sat: [], sun: [] },
  closedDates: [],
};

export const timeZoneSchema = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone such as Europe/Berlin');

/** Stored JSON -> office hours; null or invalid falls back to the default week (and says so). */
export function parseOfficeHours(stored: unknown): { hours: OfficeHours; valid: boolean } {
  if (stored === null || stored === undefined) return { hours: defaultOfficeHours, valid: true };
  const parsed = officeHoursSchema.safeParse(stored);
  return parsed.success ? { hours: parsed.data, valid: true } : { hours: defaultOfficeHours, valid: false };
}

interface LocalTime {
  date: string;
  weekday: Weekday;
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localTime(instant: Date, timeZone: string): LocalTime {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
  const weekday = WEEKDAYS.find((day) => day === parts.weekday?.toLowerCase().slice(0, 3));
  if (!weekday) throw new Error(`unexpected weekday from Intl: ${String(parts.weekday)}`);
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** The instant at which the wall clock in `timeZone` shows `date` `minutes` (DST-aware). */
function instantOf(date: string, minutes: number, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const naive = Date.UTC(y, m - 1, d, Math.floor(minutes / 60), minutes % 60);
  let guess = naive;
  // Two rounds settle the offset even when the guess lands across a DST change.
  for (let round = 0; round < 2; round++) {
    const local = localTime(new Date(guess), timeZone);
    const [ly, lm, ld] = local.date.split('-').map(Number) as [number, number, number];
    const shown = Date.UTC(ly, lm - 1, ld, Math.floor(local.minutes / 60), local.minutes % 60);
    guess += naive - shown;
  }
  return new Date(guess);
}

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // getUTCDay: 0 is Sunday.
  return WEEKDAYS[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7] as Weekday;
}

export type OfficeStatus = { open: true; closesAt: Date } | { open: false; opensAt: Date | null };

/**
 * Whether the office is open at `now`, and when it closes or opens next (null when the schedule
 * has no opening in the coming two weeks).
 * @example officeStatus(defaultOfficeHours, 'Europe/Berlin', new Date('2026-11-28T10:00:00Z')) // Saturday
 *   // { open: false, opensAt: 2026-11-30T08:00:00.000Z }
 */
export function officeStatus(hours: OfficeHours, timeZone: string, now: Date): OfficeStatus {
  const local = localTime(now, timeZone);
  for (let offset = 0; offset <= 14; offset++) {
    const date = addDays(local.date, offset);
    if (hours.closedDates.includes(date)) continue;
    const intervals = [...hours.week[weekdayOf(date)]].sort((a, b) => toMinutes(a.from) - toMinutes(b.from));
    for (const interval of intervals) {
      const from = toMinutes(interval.from);
      const to = toMinutes(interval.to);
      if (offset === 0 && local.minutes >= from && local.minutes < to) return { open: true, closesAt: instantOf(date, to, timeZone) };
      if (offset > 0 || local.minutes < from) return { open: false, opensAt: instantOf(date, from, timeZone) };
    }
  }
  return { open: false, opensAt: null };
}
