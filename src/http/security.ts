import type { RequestHandler } from 'express';

export interface SecurityHeaderOptions {
  /** HSTS: only in production, where the server is reached over HTTPS (PUBLIC_URL). */
  production: boolean;
  /** PUBLIC_URL: its WebSocket origin (wss:// for https://) is the one socket our pages may open besides 'self'. */
  publicUrl?: string;
}

/** One year, the value HSTS preload lists ask for; subdomains are the operator's to decide, so not included. */
const hstsMaxAgeSeconds = 365 * 24 * 60 * 60;

/**
 * The WebSocket origin of PUBLIC_URL (`https://chat.ngo.example` -> `wss://chat.ngo.example`), or
 * nothing without one. CSP's 'self' already covers the page's own host over ws/wss in current
 * browsers; the explicit origin covers a page served on another name than PUBLIC_URL's.
 * @example publicWebSocketOrigin('https://chat.ngo.example/') // 'wss://chat.ngo.example'
 */
export function publicWebSocketOrigin(publicUrl: string | undefined): string | undefined {
  if (!publicUrl || !URL.canParse(publicUrl)) return undefined;
  const url = new URL(publicUrl);
  return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
}

/**
 * Our pages' policy: only our own scripts, styles and connections (plus the public WebSocket
 * origin), framed by nobody unless `frameAncestors` says otherwise.
 * @example contentSecurityPolicy({ publicUrl: 'https://chat.ngo.example' }) // "... connect-src 'self' wss://chat.ngo.example; ..."
 */
export function contentSecurityPolicy(options: { publicUrl?: string; frameAncestors?: "'none'" | "'self'" } = {}): string {
  const socket = publicWebSocketOrigin(options.publicUrl);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self'${socket ? ` ${socket}` : ''}`,
    `frame-ancestors ${options.frameAncestors ?? "'none'"}`,
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

/**
 * Conservative headers for every response. Pages that embed the widget set their own policy;
 * ours allows only our own scripts, styles and connections (README: Privacy and security).
 *
 * @example app.use(securityHeaders({ production: config.mode === 'production', publicUrl: config.http.publicUrl }));
 */
export function securityHeaders(options: SecurityHeaderOptions): RequestHandler {
  const policy = contentSecurityPolicy(options.publicUrl ? { publicUrl: options.publicUrl } : {});
  return (_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Content-Security-Policy', policy);
    // Browsers ignore HSTS over plain HTTP, so sending it in production only loses nothing; outside
    // production it would pin localhost to HTTPS in the developer's browser.
    if (options.production) res.setHeader('Strict-Transport-Security', `max-age=${hstsMaxAgeSeconds}`);
    next();
  };
}
