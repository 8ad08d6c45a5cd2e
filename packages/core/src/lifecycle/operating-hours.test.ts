import { ConfigurationError } from '../action/errors.js';
import { isWithinOperatingHours, parseOperatingWindows, readDailyOperatingHours } from './operating-hours.js';
import { parseScaleProfile, readProfileCount } from './scale-profile.js';

describe('operating hours', () => {
  const windows = parseOperatingWindows(['mon-fri=09:00-04:00']);

  it('covers 19 hours from 9:00 Cairo on weekdays, past midnight', () => {
    expect(readDailyOperatingHours(windows)).toBeCloseTo((19 * 5) / 7);
    // Monday 2026-03-02: 07:00 UTC is 09:00 in Cairo (UTC+2).
    expect(isWithinOperatingHours(windows, new Date('2026-03-02T06:59:00Z'), 'Africa/Cairo')).toBe(false);
    expect(isWithinOperatingHours(windows, new Date('2026-03-02T07:00:00Z'), 'Africa/Cairo')).toBe(true);
    // Tuesday 01:59 UTC = 03:59 Cairo, still Monday's window; 02:00 UTC = 04:00 Cairo, reduced.
    expect(isWithinOperatingHours(windows, new Date('2026-03-03T01:59:00Z'), 'Africa/Cairo')).toBe(true);
    expect(isWithinOperatingHours(windows, new Date('2026-03-03T02:00:00Z'), 'Africa/Cairo')).toBe(false);
    // Saturday is reduced all day, except the tail of Friday's window.
    expect(isWithinOperatingHours(windows, new Date('2026-03-07T01:00:00Z'), 'Africa/Cairo')).toBe(true);
    expect(isWithinOperatingHours(windows, new Date('2026-03-07T12:00:00Z'), 'Africa/Cairo')).toBe(false);
  });

  it('reads lists and single days, and refuses bad lines and zones', () => {
    expect(parseOperatingWindows(['sat,sun=10:00-14:00']).map((w) => w.day)).toEqual([6, 0]);
    expect(() => parseOperatingWindows(['weekdays=09:00-17:00'])).toThrow(ConfigurationError);
    expect(() => parseOperatingWindows(['mon=9-17'])).toThrow(/HH:MM/);
    expect(() => isWithinOperatingHours(windows, new Date(), 'Mars/Olympus')).toThrow(/IANA/);
  });
});

describe('scale profile', () => {
  it('matches service names with * and leaves unnamed services alone', () => {
    const profile = parseScaleProfile(
      new Map([
        ['api', '1'],
        ['admin', '0'],
        ['celery-*', '0'],
      ]),
    );
    expect(readProfileCount(profile, 'api')).toBe(1);
    expect(readProfileCount(profile, 'celery-beat')).toBe(0);
    expect(readProfileCount(profile, 'web')).toBeUndefined();
    expect(() => parseScaleProfile(new Map([['api', 'one']]))).toThrow(ConfigurationError);
  });
});
