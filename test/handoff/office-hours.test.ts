import { describe, expect, it } from 'vitest';
import { defaultOfficeHours, officeHoursSchema, officeStatus, parseOfficeHours } from '../../src/handoff/office-hours.js';

const berlin = 'Europe/Berlin';

describe('office hours with a fixed clock', () => {
  it.each([
    // Monday 30 Nov 2026, Berlin is UTC+1 in winter.
    ['Monday 08:59 Berlin', '2026-11-30T07:59:00Z', { open: false, opensAt: '2026-11-30T08:00:00.000Z' }],
    ['Monday 09:00 Berlin', '2026-11-30T08:00:00Z', { open: true, closesAt: '2026-11-30T16:00:00.000Z' }],
    ['Monday 16:59 Berlin', '2026-11-30T15:59:00Z', { open: true, closesAt: '2026-11-30T16:00:00.000Z' }],
    ['Monday 17:00 Berlin', '2026-11-30T16:00:00Z', { open: false, opensAt: '2026-12-01T08:00:00.000Z' }],
    ['Friday evening', '2026-12-04T18:30:00Z', { open: false, opensAt: '2026-12-07T08:00:00.000Z' }],
    ['Saturday', '2026-11-28T10:00:00Z', { open: false, opensAt: '2026-11-30T08:00:00.000Z' }],
    // Summer time: 09:00 in Berlin is 07:00 UTC.
    ['a summer Sunday', '2027-07-04T12:00:00Z', { open: false, opensAt: '2027-07-05T07:00:00.000Z' }],
    // The night of the change to summer time (Sunday 28 March 2027).
    ['across the DST change', '2027-03-27T12:00:00Z', { open: false, opensAt: '2027-03-29T07:00:00.000Z' }],
  ])('%s', (_label, now, expected) => {
    const status = officeStatus(defaultOfficeHours, berlin, new Date(now));
    expect(JSON.parse(JSON.stringify(status))).toEqual(expected);
  });

  it('skips closed dates and honours split days and other time zones', () => {
    const hours = officeHoursSchema.parse({
      week: {
        mon: [
          { from: '09:00', to: '12:00' },
          { from: '13:00', to: '17:30' },
        ],
        tue: [{ from: '10:00', to: '14:00' }],
      },
      closedDates: ['2026-12-01'],
    });
    // Monday 12:30 in Amsterdam: lunch break, opens 13:00.
    expect(officeStatus(hours, 'Europe/Amsterdam', new Date('2026-11-30T11:30:00Z'))).toEqual({ open: false, opensAt: new Date('2026-11-30T12:00:00Z') });
    // Monday after 17:30: Tuesday is a closed date, so next Monday.
    expect(officeStatus(hours, 'Europe/Amsterdam', new Date('2026-11-30T17:00:00Z'))).toEqual({ open: false, opensAt: new Date('2026-12-07T08:00:00Z') });
    // New York: 09:30 there is 14:30 UTC.
    expect(officeStatus(hours, 'America/New_York', new Date('2026-11-30T14:30:00Z'))).toEqual({ open: true, closesAt: new Date('2026-11-30T17:00:00Z') });
  });

  it('never opens when the week is empty, and rejects bad schedules at the edge', () => {
    expect(officeStatus(officeHoursSchema.parse({ week: {} }), berlin, new Date('2026-11-30T10:00:00Z'))).toEqual({ open: false, opensAt: null });
    expect(officeHoursSchema.safeParse({ week: { mon: [{ from: '17:00', to: '09:00' }] } }).success).toBe(false);
    expect(officeHoursSchema.safeParse({ week: { mon: [{ from: '9:00', to: '17:00' }] } }).success).toBe(false);
    expect(officeHoursSchema.safeParse({ week: { monday: [] } }).success).toBe(false);
    expect(parseOfficeHours({ nonsense: true })).toEqual({ hours: defaultOfficeHours, valid: false });
    expect(parseOfficeHours(null)).toEqual({ hours: defaultOfficeHours, valid: true });
  });
});
