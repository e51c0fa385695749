// `npm run admin -- COMMAND --option value`: organisations, console users and API keys.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { z } from 'zod';
import { ConfigError, createConfig, type Config } from '../../config.js';
import { DatabaseInUseError, openDatabase, type Database } from '../../store/client.js';
import { migrateDatabase } from '../../store/migrate.js';
import { createConsoleRepository } from '../../store/repositories/console.js';
import { createOrganisationRepository } from '../../store/repositories/organisations.js';
import { isUniqueViolation } from '../../store/repositories/records.js';
import { createPrivacyRepository } from '../../store/repositories/privacy.js';
import { generateKey } from '../../crypto/field-cipher.js';
import { cipherFromKeys } from '../../privacy/keys.js';
import { RetentionJob } from '../../privacy/retention.js';
import { developmentDataKeys, saveDevelopmentDataKeys } from '../../secrets.js';
import { API_KEY_PREFIX, hashToken, newToken } from '../auth/tokens.js';
import { createUserAccount } from '../admin/user-accounts.js';
import { checkPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, type PasswordProblem } from '../auth/password-policy.js';
import { createLocalisation } from '../../i18n/index.js';
import { issueLines } from '../../validation/zod-issues.js';

const silentLogger = pino({ level: 'silent' });

export interface AdminIo {
  out(line: string): void;
  err(line: string): void;
}

const usage = `usage:
  npm run admin -- org:create --name NAME --key KEY
  npm run admin -- user:create --org KEY --email E --password P --role counsellor|admin [--name "Display name"]
  npm run admin -- apikey:create --email E
  npm run admin -- retention:set --org KEY [--closed-days N] [--idle-days N]
  npm run admin -- retention:run
  npm run admin -- keys:rotate [--generate]   (--generate: development only, replaces the key in DATA_DIR/data-encryption-key.json)`;

const days = z.coerce.number().int('a whole number of days').min(1).max(3650);

const commands = {
  'org:create': z.strictObject({
    name: z.string().trim().min(1).max(200),
    key: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes'),
  }),
  'user:create': z.strictObject({
    org: z.string().min(1),
    email: z.email(),
    // Judged by the one password policy below (checkPassword), with the address and name.
    password: z.string(),
    role: z.enum(['counsellor', 'admin']),
    name: z.string().trim().min(1).max(200).optional(),
  }),
  'apikey:create': z.strictObject({ email: z.email() }),
  'retention:set': z
    .strictObject({ org: z.string().min(1), 'closed-days': days.optional(), 'idle-days': days.optional() })
    .refine((value) => value['closed-days'] !== undefined || value['idle-days'] !== undefined, 'give --closed-days, --idle-days or both'),
  'retention:run': z.strictObject({}),
  'keys:rotate': z.strictObject({ generate: z.boolean().optional() }),
} as const;

const localesDir = fileURLToPath(new URL('../../../locales', import.meta.url));

/** The refusal in the console's words (`console:password_policy.*`, English: the operator's terminal). */
async function passwordProblemText(problem: PasswordProblem): Promise<string> {
  const t = (await createLocalisation(localesDir)).translatorFor('en');
  return t(`console:password_policy.${problem}`, { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH });
}

/** Runs one admin command; returns the process exit code. */
export async function runAdmin(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: AdminIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || !(command in commands)) {
    io.err(usage);
    return 2;
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...rest],
      options: {
        name: { type: 'string' },
        key: { type: 'string' },
        org: { type: 'string' },
        email: { type: 'string' },
        password: { type: 'string' },
        role: { type: 'string' },
        'closed-days': { type: 'string' },
        'idle-days': { type: 'string' },
        generate: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  const name = command as keyof typeof commands;
  const options = commands[name].safeParse(values);
  const problems = options.success ? [] : issueLines(options.error, { prefix: '--' });
  if (name === 'user:create' && typeof values.password === 'string') {
    const personal = [values.email, values.name].filter((value): value is string => typeof value === 'string');
    const problem = checkPassword(values.password, personal);
    if (problem) problems.unshift(`--password: ${await passwordProblemText(problem)}`);
  }
  if (problems.length > 0) {
    io.err(problems.join('\n'));
    return 2;
  }

  let db: Database;
  let config: Config;
  try {
    config = createConfig(env);
    db = await openDatabase({
      ...(config.database.kind === 'postgres' ? { databaseUrl: config.database.url } : {}),
      dataDir: config.database.kind === 'embedded' ? config.database.dataDir : config.dataDir,
    });
  } catch (error) {
    if (error instanceof DatabaseInUseError) {
      io.err(
        `The embedded database in ${error.dataDir} is in use by the running server (process ${error.pid}). Stop the server first, then run this command again; or set DATABASE_URL to work on a PostgreSQL server.`,
      );
      return 1;
    }
    if (error instanceof ConfigError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
  try {
    await migrateDatabase(db);
    const repo = createConsoleRepository(db.prisma);
    switch (name) {
      case 'org:create': {
        const { name: orgName, key } = commands[name].parse(values);
        try {
          const org = await createOrganisationRepository(db.prisma).create({ name: orgName, widgetKey: key });
          io.out(`created organisation "${org.name}" with key ${org.widgetKey} (${org.id})`);
          return 0;
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          io.err(`an organisation with key ${key} exists already`);
          return 1;
        }
      }
      case 'user:create': {
        const input = commands[name].parse(values);
        const org = await repo.findOrganisationByKey(input.org);
        if (!org) {
          io.err(`no organisation has the key ${input.org}`);
          return 1;
        }
        const user = await createUserAccount(
          repo,
          { organisationId: org.id, email: input.email, password: input.password, role: input.role, ...(input.name ? { displayName: input.name } : {}) },
          { userId: null, via: 'cli' },
        );
        if (!user) {
          io.err(`a user with the e-mail address ${input.email} exists already`);
          return 1;
        }
        io.out(`created ${user.role} ${user.email} in "${org.name}"`);
        return 0;
      }
      case 'apikey:create': {
        const { email } = commands[name].parse(values);
        const user = await repo.findUserByEmail(email);
        if (!user) {
          io.err(`no user has the e-mail address ${email}`);
          return 1;
        }
        const token = newToken(API_KEY_PREFIX);
        await repo.createApiKey({ userId: user.id, tokenHash: hashToken(token), prefix: token.slice(0, API_KEY_PREFIX.length + 6) });
        await repo.audit({ organisationId: user.organisationId, actorUserId: user.id, action: 'api_key_created', data: { via: 'cli' } });
        io.out(`API key for ${user.email} (shown only now; store it safely):\n${token}`);
        return 0;
      }
      case 'retention:set': {
        const input = commands[name].parse(values);
        const org = await repo.findOrganisationByKey(input.org);
        if (!org) {
          io.err(`no organisation has the key ${input.org}`);
          return 1;
        }
        const closedDays = input['closed-days'];
        const idleDays = input['idle-days'];
        await createPrivacyRepository(db.prisma).setRetention(org.id, {
          ...(closedDays !== undefined ? { closedDays } : {}),
          ...(idleDays !== undefined ? { idleDays } : {}),
        });
        await repo.audit({
          organisationId: org.id,
          actorUserId: null,
          action: 'retention_changed',
          data: { closedDays: closedDays ?? null, idleDays: idleDays ?? null, via: 'cli' },
        });
        const policy = (await createPrivacyRepository(db.prisma).retentionPolicies()).find((item) => item.organisationId === org.id);
        io.out(`"${org.name}" keeps closed conversations and referrals ${policy?.closedDays} days, unfinished ones ${policy?.idleDays} days`);
        return 0;
      }
      case 'retention:run': {
        // The same pass as the server's timer, expired console logins included; counted here to report them.
        let logins = { sessions: 0, throttles: 0 };
        const results = await new RetentionJob({
          privacy: createPrivacyRepository(db.prisma),
          logins: { purgeExpiredLogins: async (now, staleMs) => (logins = await repo.purgeExpiredLogins(now, staleMs)) },
          logger: silentLogger,
        }).runOnce();
        const total = results.reduce((sum, r) => ({ c: sum.c + r.conversationsDeleted, r: sum.r + r.referralsDeleted, m: sum.m + r.messagesDeleted }), {
          c: 0,
          r: 0,
          m: 0,
        });
        io.out(`retention: deleted ${total.c} conversations, ${total.r} referrals and ${total.m} messages in ${results.length} organisations`);
        io.out(`retention: deleted ${logins.sessions} expired console sessions and ${logins.throttles} stale login throttles`);
        return 0;
      }
      case 'keys:rotate': {
        const { generate } = commands[name].parse(values);
        let keys = config.dataEncryption;
        if (generate) {
          if (keys) {
            io.err(
              '--generate only replaces the development key in the data folder. With DATA_ENCRYPTION_KEY set: put a new key there, move the old one to DATA_ENCRYPTION_OLD_KEYS, run keys:rotate, then remove the old key.',
            );
            return 2;
          }
          const current = await developmentDataKeys(config.dataDir);
          keys = { key: generateKey(), oldKeys: [current.key, ...current.oldKeys] };
          // Saved before rewriting: a crash half-way leaves every value readable with the keys on disk.
          await saveDevelopmentDataKeys(config.dataDir, keys);
        }
        keys ??= await developmentDataKeys(config.dataDir);
        const cipher = cipherFromKeys(keys);
        const report = await createPrivacyRepository(db.prisma).rotateKeys(cipher);
        const rewritten = report.reduce((sum, column) => sum + column.rewritten, 0);
        for (const column of report) io.out(`${column.column}: ${column.rewritten} of ${column.scanned} values re-encrypted`);
        await repo.audit({ organisationId: null, actorUserId: null, action: 'data_key_rotated', data: { keyId: cipher.currentKeyId, rewritten, via: 'cli' } });
        // Old keys stay configured until the operator removes them: a server still running with the
        // old key may have written under it meanwhile (run keys:rotate again first).
        io.out(
          `every value is now under key ${cipher.currentKeyId}; once every instance runs with this key, ` +
            (config.dataEncryption ? 'remove DATA_ENCRYPTION_OLD_KEYS' : `remove oldKeys from ${config.dataDir}/data-encryption-key.json`),
        );
        return 0;
      }
      default: {
        const unreachable: never = name;
        throw new Error(`unknown command ${String(unreachable)}`);
      }
    }
  } finally {
    await db.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runAdmin(process.argv.slice(2), process.env, { out: (line) => console.log(line), err: (line) => console.error(line) });
}
