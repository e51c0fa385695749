// How long a referral has waited, as the queue marks it: amber from the organisation's first
// threshold on, red from the second (admin settings, "Queue waiting times"; 5 and 15 minutes unless set).

export interface WaitThresholds {
  amberMinutes: number;
  redMinutes: number;
}

export const DEFAULT_WAIT_THRESHOLDS: WaitThresholds = { amberMinutes: 5, redMinutes: 15 };

export type WaitLevel = 'ok' | 'amber' | 'red';

/**
 * @example waitLevel(6 * 60) // 'amber'
 * @example waitLevel(20 * 60, { amberMinutes: 10, redMinutes: 30 }) // 'amber'
 */
export function waitLevel(waitingSeconds: number, thresholds: WaitThresholds = DEFAULT_WAIT_THRESHOLDS): WaitLevel {
  const minutes = waitingSeconds / 60;
  if (minutes >= thresholds.redMinutes) return 'red';
  if (minutes >= thresholds.amberMinutes) return 'amber';
  return 'ok';
}
