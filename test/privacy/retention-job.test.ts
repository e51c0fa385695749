import { afterEach, describe, expect, it, vi } from 'vitest';
import { RetentionJob } from '../../src/privacy/retention.js';
import type { PrivacyRepository, RetentionPolicy } from '../../src/store/repositories/privacy.js';
import { silentLogger } from '../support/turns.js';

/** Only what the job calls; the rest of the repository is tested against real databases. */
function fakePrivacy(calls: { policy: RetentionPolicy; now: Date }[]): PrivacyRepository {
  const unused = () => Promise.reject(new Error('not used by the job'));
  return {
    retentionPolicies: async () => [{ organisationId: 'org', closedDays: 90, idleDays: 30 }],
    applyRetention: async (policy, now) => {
      calls.push({ policy, now });
      return { organisationId: policy.organisationId, conversationsDeleted: 0, referralsDeleted: 0, messagesDeleted: 0 };
    },
    eraseConversation: unused,
    setRetention: unused,
    retentionStats: unused,
    rotateKeys: unused,
  };
}

describe('the retention job', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs on its interval with the injected clock, once however often it is started, and stops', async () => {
    vi.useFakeTimers();
    const calls: { policy: RetentionPolicy; now: Date }[] = [];
    const now = new Date('2027-01-01T00:00:00Z');
    const job = new RetentionJob({ privacy: fakePrivacy(calls), logger: silentLogger, clock: () => now });
    job.start(60_000);
    job.start(60_000);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toEqual([{ policy: { organisationId: 'org', closedDays: 90, idleDays: 30 }, now }]);
    await job.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(calls).toHaveLength(1);
  });

  it('joins a pass already under way instead of starting a second one', async () => {
    const calls: { policy: RetentionPolicy; now: Date }[] = [];
    const job = new RetentionJob({ privacy: fakePrivacy(calls), logger: silentLogger });
    const [a, b] = await Promise.all([job.runOnce(), job.runOnce()]);
    expect(a).toBe(b);
    expect(calls).toHaveLength(1);
  });
});
