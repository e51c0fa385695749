import { describe, expect, it } from 'vitest';
import { DEFAULT_WAIT_THRESHOLDS, waitLevel } from '../../src/console/pages/client/wait-level.js';

describe('the queue’s waiting marks', () => {
  it('turn amber at 5 minutes and red at 15 unless the organisation set others', () => {
    expect(DEFAULT_WAIT_THRESHOLDS).toEqual({ amberMinutes: 5, redMinutes: 15 });
    expect(waitLevel(0)).toBe('ok');
    expect(waitLevel(5 * 60 - 1)).toBe('ok');
    expect(waitLevel(5 * 60)).toBe('amber');
    expect(waitLevel(15 * 60 - 1)).toBe('amber');
    expect(waitLevel(15 * 60)).toBe('red');
    expect(waitLevel(3 * 60 * 60)).toBe('red');
  });

  it('follow the thresholds an admin set, each inclusive', () => {
    const thresholds = { amberMinutes: 10, redMinutes: 30 };
    expect(waitLevel(9 * 60 + 59, thresholds)).toBe('ok');
    expect(waitLevel(10 * 60, thresholds)).toBe('amber');
    expect(waitLevel(20 * 60, thresholds)).toBe('amber');
    expect(waitLevel(30 * 60, thresholds)).toBe('red');
    // One minute apart: there is an amber minute.
    expect(waitLevel(90, { amberMinutes: 1, redMinutes: 2 })).toBe('amber');
  });
});
