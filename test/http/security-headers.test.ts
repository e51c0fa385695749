// Security headers of the running app: HSTS in production only, and a CSP whose connect-src is
// 'self' plus PUBLIC_URL's WebSocket origin, never any ws:/wss: host.
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, publicWebSocketOrigin } from '../../src/http/security.js';
import { useApp } from '../web/support.js';

const connectSrc = (policy: string | null) =>
  policy
    ?.split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith('connect-src'));

describe('in production', () => {
  const app = useApp({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PUBLIC_URL: 'https://chat.ngo.example',
    DATA_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
    RETENTION_INTERVAL_MINUTES: '0',
  });

  it('sends HSTS and allows connections only to itself and its public WebSocket origin', async () => {
    for (const path of ['/healthz', '/console', '/no-such-page']) {
      const response = await fetch(`${app().url}${path}`);
      expect(response.headers.get('strict-transport-security'), path).toBe('max-age=31536000');
      expect(connectSrc(response.headers.get('content-security-policy')), path).toBe("connect-src 'self' wss://chat.ngo.example");
    }
  });
});

describe('in development', () => {
  const app = useApp({ RETENTION_INTERVAL_MINUTES: '0' });

  it('sends no HSTS (it would pin localhost to HTTPS) and connect-src is only itself', async () => {
    const response = await fetch(`${app().url}/healthz`);
    expect(response.headers.get('strict-transport-security')).toBeNull();
    expect(connectSrc(response.headers.get('content-security-policy'))).toBe("connect-src 'self'");
    expect(response.headers.get('content-security-policy')).not.toMatch(/\bwss?:(\s|;|$)/);
  });
});

describe('the policy', () => {
  it('derives the WebSocket origin from PUBLIC_URL', () => {
    expect(publicWebSocketOrigin('https://chat.ngo.example/')).toBe('wss://chat.ngo.example');
    expect(publicWebSocketOrigin('http://10.0.0.5:3000')).toBe('ws://10.0.0.5:3000');
    expect(publicWebSocketOrigin(undefined)).toBeUndefined();
    expect(contentSecurityPolicy({ frameAncestors: "'self'" })).toContain("frame-ancestors 'self'");
  });
});
