// The console login throttle's policy: which gates an attempt passes and how fast they close.
// Progressive delays instead of a lock: five wrong passwords from one address slow that address
// down on that account, and nobody else, so a stranger cannot lock the account holder out.
import type { LoginGates, ThrottleGate } from '../../store/repositories/login-throttle.js';

export interface GatePolicy {
  /** Attempts in the window before delays begin (`firstDelayMs`, then doubling). */
  free: number;
  windowMs: number;
  firstDelayMs: number;
  /** The longest delay between two attempts. */
  maxDelayMs: number;
}

export interface ThrottlePolicy {
  /** Every attempt from one address, on any account (one client trying many accounts). */
  address: GatePolicy;
  /** One account from one address: where a guesser meets delays first. */
  pair: GatePolicy;
  /** One account from every address together: much higher, against guesses spread over many addresses. */
  account: GatePolicy;
}

const minutes = (count: number) => count * 60_000;

export const defaultThrottlePolicy: ThrottlePolicy = {
  address: { free: 30, windowMs: minutes(15), firstDelayMs: 1_000, maxDelayMs: minutes(15) },
  pair: { free: 5, windowMs: minutes(15), firstDelayMs: 1_000, maxDelayMs: minutes(15) },
  account: { free: 100, windowMs: minutes(60), firstDelayMs: 1_000, maxDelayMs: minutes(5) },
};

/** The default policy with the given gates replaced (tests and small deployments). */
export function throttlePolicy(overrides: Partial<ThrottlePolicy> = {}): ThrottlePolicy {
  return { ...defaultThrottlePolicy, ...overrides };
}

/**
 * The gates of one attempt. E-mail addresses are compared in lower case, as accounts are found;
 * an account that does not exist is throttled like one that does, so the answer tells nothing.
 * @example loginGates(defaultThrottlePolicy, 'Anna@ngo.example', '203.0.113.9').pair.key // 'pair:anna@ngo.example|203.0.113.9'
 */
export function loginGates(policy: ThrottlePolicy, email: string, address: string): LoginGates {
  const account = email.toLowerCase();
  const gate = (key: string, rule: GatePolicy): ThrottleGate => ({ key, ...rule });
  return {
    address: gate(`address:${address}`, policy.address),
    pair: gate(`pair:${account}|${address}`, policy.pair),
    account: gate(`email:${account}`, policy.account),
  };
}
