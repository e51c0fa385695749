import type { Logger } from 'pino';
import type { ConsoleRepository } from '../store/repositories/console.js';
import type { PrivacyRepository, RetentionResult } from '../store/repositories/privacy.js';

export const DEFAULT_RETENTION = { closedDays: 90, idleDays: 30 } as const;
/** Far longer than any login lockout window: a throttle row this old counts nothing any more. */
export const LOGIN_THROTTLE_STALE_MS = 24 * 60 * 60_000;

export interface RetentionDeps {
  privacy: PrivacyRepository;
  /** When given, expired console sessions and stale login throttles are purged on each pass too. */
  logins?: Pick<ConsoleRepository, 'purgeExpiredLogins'>;
  logger: Logger;
  /** Injected so tests can move time forward. */
  clock?: () => Date;
}

/**
 * Deletes, for every organisation, the conversations and referrals past their retention time,
 * leaving only daily counts (RetentionStat). Runs inside the server on a timer and from
 * `npm run admin -- retention:run`; several instances may run it at once (each deletion is
 * re-checked in its own transaction).
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RetentionResult[]> | undefined;

  constructor(private readonly deps: RetentionDeps) {}

  /** One pass over every organisation. A pass already under way is joined, not doubled. */
  runOnce(): Promise<RetentionResult[]> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Runs every `intervalMs` (first run after one interval); the timer never keeps the process alive. */
  start(intervalMs: number): void {
    if (this.timer || intervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.runOnce().catch((error: unknown) => this.deps.logger.error({ err: error }, 'retention run failed'));
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a pass under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  private async pass(): Promise<RetentionResult[]> {
    const now = (this.deps.clock ?? (() => new Date()))();
    const results: RetentionResult[] = [];
    for (const policy of await this.deps.privacy.retentionPolicies()) {
      const result = await this.deps.privacy.applyRetention(policy, now);
      results.push(result);
      if (result.conversationsDeleted + result.referralsDeleted > 0) {
        this.deps.logger.info({ ...result }, 'retention deleted expired conversations and referrals');
      }
    }
    const purged = await this.deps.logins?.purgeExpiredLogins(now, LOGIN_THROTTLE_STALE_MS);
    if (purged && purged.sessions + purged.throttles > 0) this.deps.logger.info(purged, 'retention deleted expired console sessions and login throttles');
    return results;
  }
}
