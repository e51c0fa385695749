import { z } from 'zod';
import { defaultEntryFlow } from './flows/check.js';

/**
 * Every environment variable Homeward reads, in one schema. `createConfig` is pure and called
 * once in `main`; the result is passed down, so no module reads `process.env` on its own.
 */
const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    // 0 lets the system pick a free port (tests).
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).optional(),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ENTRY_FLOW: z.string().min(1).default(defaultEntryFlow),
    TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.TOKEN_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['TOKEN_SECRET'], message: 'is required when NODE_ENV=production (at least 32 random characters)' });
    }
  });

export type Database = { kind: 'embedded'; dataDir: string } | { kind: 'postgres'; url: string };

export interface Config {
  mode: 'development' | 'production' | 'test';
  http: { port: number; host: string; publicUrl?: string };
  database: Database;
  /** Where the embedded database and development-only generated secrets live. */
  dataDir: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  entryFlow: string;
  /** Signs channel tokens. Unset only outside production: `main` then generates one into the data folder. */
  tokenSecret?: string;
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
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`));
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
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    entryFlow: e.ENTRY_FLOW,
    ...(e.TOKEN_SECRET ? { tokenSecret: e.TOKEN_SECRET } : {}),
  };
}
