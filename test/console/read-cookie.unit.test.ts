// The console reads its session cookie with the `cookie` package: the cases a browser, a proxy or an
// attacker really send.
import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { readCookie } from '../../src/console/auth/auth.js';

const withCookie = (header: string | undefined) => ({ get: (name: string) => (name.toLowerCase() === 'cookie' ? header : undefined) }) as unknown as Request;

describe('readCookie', () => {
  it('finds one cookie among several, however they are spaced, and decodes it', () => {
    expect(readCookie(withCookie('theme=dark;homeward_session=hws_abc%2Fdef;  other=1'), 'homeward_session')).toBe('hws_abc/def');
    expect(readCookie(withCookie('a=1;b=2'), 'b')).toBe('2');
  });

  it('answers undefined for no header, no such cookie, or a name that only ends like it', () => {
    expect(readCookie(withCookie(undefined), 'homeward_session')).toBeUndefined();
    expect(readCookie(withCookie('x_homeward_session=1; broken'), 'homeward_session')).toBeUndefined();
  });

  it('keeps a value that is not valid percent-encoding as sent (it then matches no session)', () => {
    expect(readCookie(withCookie('homeward_session=%E0%A4%A'), 'homeward_session')).toBe('%E0%A4%A');
  });
});
