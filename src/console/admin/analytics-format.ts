// Wording of durations for the analytics page and its charts. Pure (no DOM, no Node), so the
// browser page and the server's charts say a wait the same way.

export type DurationText = (key: 'seconds' | 'minutes' | 'minutes_seconds' | 'hours_minutes' | 'none', params?: Record<string, string | number>) => string;

/**
 * "45 s", "9 min 12 s", "2 h 5 min", or the "none" text for null.
 * @example formatDuration(552, text) // "9 min 12 s" with the English texts
 */
export function formatDuration(seconds: number | null, text: DurationText): string {
  if (seconds === null) return text('none');
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return text('seconds', { seconds: whole });
  if (whole < 3600) {
    const rest = whole % 60;
    return rest === 0 ? text('minutes', { minutes: Math.floor(whole / 60) }) : text('minutes_seconds', { minutes: Math.floor(whole / 60), seconds: rest });
  }
  const minutes = Math.round(whole / 60);
  return text('hours_minutes', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}
