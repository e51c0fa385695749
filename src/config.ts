import { z } from 'zod';
import { parseKey } from './crypto/field-cipher.js';
import { issueLines } from './validation/zod-issues.js';

/** The flow a new conversation starts in, unless ENTRY_FLOW names another. */
export const defaultEntryFlow = 'intake';

/** How many requests a key may make, refilled evenly over `windowMs`; a full bucket allows a burst of `capacity`. */
export interface RateLimit {
  capacity: number;
  windowMs: number;
}

/**
 * Every environment variable Homeward reads, in one schema. `createConfig` is pure and called
 * once in `main`; the result is passed down, so no module reads `process.env` on its own.
 */
const encryptionKey = z.string().refine((value) => parseKey(value) !== null, 'must be 32 bytes written as base64 (44 characters) or hex (64 digits)');

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    // 0 lets the system pick a free port (tests).
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).optional(),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    // PostgreSQL: no query may run longer (a wait for a lock included); the request then fails instead of hanging.
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
    // GET /healthz answers 503 when the database takes longer than this to answer its query.
    HEALTH_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ENTRY_FLOW: z.string().min(1).default(defaultEntryFlow),
    TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    // Seals message texts, answers and referral records at rest (src/crypto/field-cipher.ts).
    DATA_ENCRYPTION_KEY: encryptionKey.optional(),
    // Keys used before a rotation, comma-separated: they only decrypt, until `keys:rotate` has run.
    DATA_ENCRYPTION_OLD_KEYS: z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== ''),
      )
      .pipe(z.array(encryptionKey))
      .optional(),
    // How often the server deletes what is past its retention time; 0 turns the job off (run it from cron instead).
    RETENTION_INTERVAL_MINUTES: z.coerce
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(60),
    // Azure Bot Service: /api/messages is served only when both the app id and password are set.
    MICROSOFT_APP_ID: z.string().min(1).max(100).optional(),
    MICROSOFT_APP_PASSWORD: z.string().min(1).optional(),
    MICROSOFT_APP_TENANT_ID: z.string().min(1).max(100).optional(),
    MICROSOFT_APP_ORGANISATION_KEY: z.string().min(1).max(200).optional(),
    TELEGRAM_BOT_TOKEN: z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]+$/, 'must look like 123456:ABC-def (the token @BotFather gave)')
      .optional(),
    TELEGRAM_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
    // Telegram allows 1-256 characters of A-Z, a-z, 0-9, _ and - in the secret token header.
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters')
      .max(256, 'must be at most 256 characters')
      .regex(/^[A-Za-z0-9_-]+$/, 'may hold only A-Z, a-z, 0-9, _ and -')
      .optional(),
    TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/ }).optional(),
    // Public endpoints (Direct Line, widget texts, Telegram webhook): requests per minute per IP address.
    RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(300),
    // Activities a person may post to one conversation per 10 seconds (Direct Line; per chat on a Telegram webhook).
    RATE_LIMIT_CONVERSATION_PER_10S: z.coerce.number().int().min(1).max(10_000).default(20),
    // Reverse proxies in front of the server whose X-Forwarded-For is believed; 0: the socket's address is the client's.
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    // Webhooks (src/handoff/webhooks.ts): how long an endpoint may take to answer, and the retries' backoff.
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
    WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
    WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(3_600_000),
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(15),
    WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(5_000),
    // A LibreTranslate-compatible server (src/translation/); unset: no machine translation.
    TRANSLATION_URL: z.url({ protocol: /^https?$/ }).optional(),
    TRANSLATION_API_KEY: z.string().min(1).max(500).optional(),
    // How long one translation may take before the message goes as written.
    TRANSLATION_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(4_000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.DATA_ENCRYPTION_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATA_ENCRYPTION_KEY'],
        message: 'is required when NODE_ENV=production (32 random bytes as base64 or hex: openssl rand -base64 32)',
      });
    }
    if (env.NODE_ENV === 'production' && !env.TOKEN_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['TOKEN_SECRET'], message: 'is required when NODE_ENV=production (at least 32 random characters)' });
    }
    if (env.NODE_ENV === 'production' && !env.MICROSOFT_APP_ID !== !env.MICROSOFT_APP_PASSWORD) {
      const missing = env.MICROSOFT_APP_ID ? 'MICROSOFT_APP_PASSWORD' : 'MICROSOFT_APP_ID';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: 'is required with the other MICROSOFT_APP_* setting when NODE_ENV=production (set both or neither)',
      });
    }
    if (env.NODE_ENV === 'production' && env.MICROSOFT_APP_ID && !env.MICROSOFT_APP_ORGANISATION_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['MICROSOFT_APP_ORGANISATION_KEY'],
        message: 'is required with MICROSOFT_APP_ID when NODE_ENV=production (the widget key of the organisation the Azure bot serves)',
      });
    }
    if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_URL'], message: 'needs TELEGRAM_BOT_TOKEN' });
    }
    if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_SECRET'], message: 'is required with TELEGRAM_WEBHOOK_URL (at least 32 random characters)' });
    }
    if (env.TELEGRAM_WEBHOOK_URL?.startsWith('http:') && env.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_URL'], message: 'must be an https:// URL in production (Telegram only calls HTTPS webhooks)' });
    }
  });

/**
 * Telegram is off without a bot token; long polling by default; a webhook when a public URL is
 * configured, which always comes with its secret.
 */
export type TelegramConfig =
  | { mode: 'off' }
  | { mode: 'polling'; token: string; apiRoot?: string }
  | { mode: 'webhook'; token: string; apiRoot?: string; webhookUrl: string; webhookSecret: string };

/** Webhook deliveries: timeout per attempt, backoff `retryBaseMs * 2^(attempt-1)` capped at `retryMaxMs`, given up after `maxAttempts`. */
export interface WebhookSettings {
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  /** How often the queue is looked at besides right after an event. */
  pollMs: number;
}

export type Database = { kind: 'embedded'; dataDir: string } | { kind: 'postgres'; url: string };

export interface Config {
  mode: 'development' | 'production' | 'test';
  http: { port: number; host: string; publicUrl?: string };
  database: Database;
  /** PostgreSQL's `statement_timeout` on the pool's connections, and how long `/healthz` waits for its query. */
  databaseTimeouts: { statementMs: number; healthMs: number };
  /** Where the embedded database and development-only generated secrets live. */
  dataDir: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  entryFlow: string;
  /** Signs channel tokens. Unset only outside production: `main` then generates one into the data folder. */
  tokenSecret?: string;
  /**
   * The data encryption key and older keys that only decrypt, as given (base64 or hex). Unset
   * only outside production: `main` then generates one into the data folder.
   */
  dataEncryption?: { key: string; oldKeys: string[] };
  /** Minutes between retention runs inside the server; 0: never (use `npm run admin -- retention:run`). */
  retentionIntervalMinutes: number;
  /** Azure Bot Service registration; absent unless both app id and password are set. */
  azureBot?: { appId: string; appPassword: string; tenantId?: string; organisationKey: string };
  telegram: TelegramConfig;
  /** Limits on public endpoints (src/http/rate-limit.ts); the console login has its own. */
  rateLimits: { perIp: RateLimit; perConversation: RateLimit };
  /** Proxies trusted for the client's address (express `trust proxy`); 0 trusts none. */
  trustProxyHops: number;
  webhooks: WebhookSettings;
  /** Machine translation for counsellors; absent unless `TRANSLATION_URL` is set. */
  translation?: { url: string; apiKey?: string; timeoutMs: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws `ConfigError` naming each variable and what is wrong with it. */
export function createConfig(env: Readonly<Record<string, string | undefined>>): Config {
  // An empty variable means "not set", as in most deployment tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(issueLines(parsed.error, { root: '(environment)' }));
  }
  const e = parsed.data;
  return {
    mode: e.NODE_ENV,
    http: {
      port: e.PORT,
      // Embedded development listens on loopback only; a production server on every interface.
      host: e.HOST ?? (e.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
      ...(e.PUBLIC_URL ? { publicUrl: e.PUBLIC_URL.replace(/\/$/, '') } : {}),
    },
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'embedded', dataDir: e.DATA_DIR },
    databaseTimeouts: { statementMs: e.DATABASE_STATEMENT_TIMEOUT_MS, healthMs: e.HEALTH_TIMEOUT_MS },
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    entryFlow: e.ENTRY_FLOW,
    ...(e.TOKEN_SECRET ? { tokenSecret: e.TOKEN_SECRET } : {}),
    ...(e.DATA_ENCRYPTION_KEY ? { dataEncryption: { key: e.DATA_ENCRYPTION_KEY, oldKeys: e.DATA_ENCRYPTION_OLD_KEYS ?? [] } } : {}),
    retentionIntervalMinutes: e.RETENTION_INTERVAL_MINUTES,
    ...(e.MICROSOFT_APP_ID && e.MICROSOFT_APP_PASSWORD
      ? {
          azureBot: {
            appId: e.MICROSOFT_APP_ID,
            appPassword: e.MICROSOFT_APP_PASSWORD,
            ...(e.MICROSOFT_APP_TENANT_ID ? { tenantId: e.MICROSOFT_APP_TENANT_ID } : {}),
            // Outside production the Azure bot talks for the demo organisation unless told otherwise.
            organisationKey: e.MICROSOFT_APP_ORGANISATION_KEY ?? 'demo',
          },
        }
      : {}),
    telegram: telegramConfig(e),
    rateLimits: {
      perIp: { capacity: e.RATE_LIMIT_IP_PER_MINUTE, windowMs: 60_000 },
      perConversation: { capacity: e.RATE_LIMIT_CONVERSATION_PER_10S, windowMs: 10_000 },
    },
    trustProxyHops: e.TRUST_PROXY_HOPS,
    webhooks: {
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      retryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: Math.max(e.WEBHOOK_RETRY_MAX_MS, e.WEBHOOK_RETRY_BASE_MS),
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      pollMs: e.WEBHOOK_POLL_MS,
    },
    ...(e.TRANSLATION_URL
      ? {
          translation: {
            url: e.TRANSLATION_URL.replace(/\/$/, ''),
            ...(e.TRANSLATION_API_KEY ? { apiKey: e.TRANSLATION_API_KEY } : {}),
            timeoutMs: e.TRANSLATION_TIMEOUT_MS,
          },
        }
      : {}),
  };
}

function telegramConfig(e: z.infer<typeof envSchema>): TelegramConfig {
  if (!e.TELEGRAM_BOT_TOKEN) return { mode: 'off' };
  const apiRoot = e.TELEGRAM_API_ROOT ? { apiRoot: e.TELEGRAM_API_ROOT.replace(/\/$/, '') } : {};
  if (e.TELEGRAM_WEBHOOK_URL && e.TELEGRAM_WEBHOOK_SECRET) {
    return { mode: 'webhook', token: e.TELEGRAM_BOT_TOKEN, ...apiRoot, webhookUrl: e.TELEGRAM_WEBHOOK_URL, webhookSecret: e.TELEGRAM_WEBHOOK_SECRET };
  }
  return { mode: 'polling', token: e.TELEGRAM_BOT_TOKEN, ...apiRoot };
}
