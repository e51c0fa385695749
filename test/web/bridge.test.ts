// The pure parts of the web channel: activity <-> event, transcript -> activity, origins, languages, tokens.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { activityToEvent, fromOutgoing, incomingActivitySchema, storedToActivity, toOutgoing, type WireActivity } from '../../src/channels/web/bridge.js';
import { acceptedLanguages } from '../../src/channels/web/directline/accept-language.js';
import { originAllowed } from '../../src/channels/web/origins.js';
import { createTokenService } from '../../src/channels/web/tokens.js';
import type { StoredMessage } from '../../src/store/repositories/conversations.js';

const mapped = (activity: unknown) => activityToEvent(incomingActivitySchema.parse(activity));

describe('activity -> engine event', () => {
  it.each([
    [
      { type: 'message', text: 'hello' },
      { type: 'text', text: 'hello' },
    ],
    [
      { type: 'message', text: '18 to 59', value: { choice: '18-59', node: 'age_band' } },
      { type: 'choice', value: '18-59', node: 'age_band' },
    ],
    [
      { type: 'event', name: 'handoff.request' },
      { type: 'intent', intent: 'handoff' },
    ],
    [
      { type: 'event', name: 'erase.request' },
      { type: 'intent', intent: 'erase' },
    ],
    [
      { type: 'event', name: 'restart' },
      { type: 'intent', intent: 'restart' },
    ],
    [
      { type: 'event', name: 'locale', value: 'ar' },
      { type: 'locale', locale: 'ar' },
    ],
  ])('%j becomes %j', (activity, event) => {
    expect(mapped(activity)).toEqual({ status: 'event', event });
  });

  it('keeps typing live only and refuses what the engine could not take', () => {
    expect(mapped({ type: 'typing' })).toEqual({ status: 'live' });
    expect(mapped({ type: 'message', text: '  ' })).toMatchObject({ status: 'fail' });
    expect(mapped({ type: 'message', value: { choice: '' } })).toMatchObject({ status: 'fail' });
  });
});

const stored = (overrides: Partial<StoredMessage>): StoredMessage => ({
  id: 'm',
  conversationId: 'c',
  seq: 4,
  author: 'bot',
  text: 'Do you agree?',
  textKey: 'bot:intake.consent',
  textParams: null,
  locale: 'ar',
  payload: { choices: [{ value: 'yes', label: 'نعم' }], node: 'consent' },
  createdAt: new Date('2026-11-28T10:00:00Z'),
  ...overrides,
});
const view = { conversationId: 'conv', directionOf: (locale: string) => (locale === 'ar' ? ('rtl' as const) : ('ltr' as const)) };

describe('transcript -> activity', () => {
  it('gives a bot message its id, direction, key and messageBack buttons', () => {
    expect(storedToActivity(stored({}), view)).toEqual({
      type: 'message',
      id: 'conv|0000004',
      timestamp: '2026-11-28T10:00:00.000Z',
      channelId: 'directline',
      conversation: { id: 'conv' },
      from: { id: 'homeward', role: 'bot' },
      text: 'Do you agree?',
      textFormat: 'plain',
      locale: 'ar',
      channelData: { key: 'bot:intake.consent', dir: 'rtl' },
      suggestedActions: { actions: [{ type: 'messageBack', title: 'نعم', displayText: 'نعم', text: 'نعم', value: { choice: 'yes', node: 'consent' } }] },
    });
  });

  it("replays the client's messages and events as the client sent them, and leaves out the start", () => {
    expect(storedToActivity(stored({ author: 'client', text: 'hi', payload: { event: 'text', userId: 'u1', clientActivityID: 'x1' } }), view)).toMatchObject({
      type: 'message',
      from: { id: 'u1', role: 'user' },
      text: 'hi',
      channelData: { clientActivityID: 'x1' },
    });
    expect(
      storedToActivity(stored({ author: 'client', text: 'ar', payload: { event: 'locale', userId: 'u1', activityType: 'event', eventName: 'locale' } }), view),
    ).toMatchObject({
      type: 'event',
      name: 'locale',
      value: 'ar',
    });
    expect(storedToActivity(stored({ author: 'client', text: '/start', payload: { event: 'start' } }), view)).toBeNull();
  });

  it("keeps the id through botbuilder's outgoing activity", () => {
    const activity = storedToActivity(stored({}), view) as WireActivity;
    const outgoing = {
      ...toOutgoing(activity),
      conversation: { id: 'conv', isGroup: false, conversationType: '', name: '' },
      from: { id: 'homeward', name: '' },
    };
    expect(fromOutgoing(outgoing)).toEqual(activity);
  });
});

describe('allowed origins', () => {
  it.each([
    ['http://localhost:5173', ['http://localhost:*'], true],
    ['http://localhost', ['http://localhost:*'], true],
    ['https://localhost:5173', ['http://localhost:*'], false],
    ['http://localhost.evil.example:80', ['http://localhost:*'], false],
    ['https://ngo.example', ['https://ngo.example'], true],
    ['https://ngo.example:8443', ['https://ngo.example'], false],
    ['https://evil.example', ['https://ngo.example'], false],
    ['null', ['https://ngo.example'], false],
    // Changed on purpose (issue 15, Medium 8): an empty list no longer allows every origin.
    ['https://anything.example', [], false],
  ] as const)('%s with %j: %s', (origin, rules, allowed) => {
    expect(originAllowed(origin, rules)).toBe(allowed);
  });

  it('gives an organisation without sites the fallback only, and its own sites once it has some', () => {
    const fallback = ['https://chat.example'];
    expect(originAllowed('https://chat.example', [], fallback)).toBe(true);
    expect(originAllowed('https://ngo.example', [], fallback)).toBe(false);
    expect(originAllowed('https://ngo.example', ['https://ngo.example'], fallback)).toBe(true);
    expect(originAllowed('https://chat.example', ['https://ngo.example'], fallback)).toBe(false);
  });
});

describe('Accept-Language', () => {
  it('orders by quality and drops what is not a language tag', () => {
    expect(acceptedLanguages('en;q=0.5, ar-EG, fa;q=0.9, <script>, *')).toEqual(['ar-EG', 'fa', 'en']);
    expect(acceptedLanguages(undefined)).toEqual([]);
  });
});

describe('tokens', () => {
  const secret = 'unit-test-secret-of-at-least-32-characters';
  const grant = { organisationId: 'org', conversationId: 'conv', userId: 'user' };

  it('verifies its own tokens and refuses expired, tampered and wrong-kind ones', () => {
    const tokens = createTokenService(secret);
    const { token, expiresIn } = tokens.issueToken(grant);
    expect(expiresIn).toBe(1800);
    expect(tokens.verify(token, 'token')).toMatchObject({ status: 'success', claims: grant });
    expect(tokens.verify(tokens.issueResume(grant), 'token')).toEqual({ status: 'fail', reason: 'kind' });
    // Tokens are sealed now (they were signed JSON): a flipped bit anywhere in the ciphertext fails authentication.
    const [prefix, body, tag] = token.split('.');
    const bytes = Buffer.from(body ?? '', 'base64url');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    expect(tokens.verify(`${prefix}.${bytes.toString('base64url')}.${tag}`, 'token')).toEqual({ status: 'fail', reason: 'signature' });
    expect(createTokenService('another-secret-of-at-least-32-characters').verify(token, 'token')).toEqual({ status: 'fail', reason: 'signature' });
    const old = createTokenService(secret, () => Date.now() - 31 * 60 * 1000).issueToken(grant).token;
    expect(tokens.verify(old, 'token')).toEqual({ status: 'fail', reason: 'expired' });
    expect(tokens.verify('garbage', 'token')).toEqual({ status: 'fail', reason: 'malformed' });
  });

  it('seals tokens and tickets: neither shows the conversation, organisation or user it grants', () => {
    const tokens = createTokenService(secret);
    const secretGrant = { organisationId: 'org-7f3a', conversationId: 'Zq81conversationId', userId: 'dl_user42' };
    for (const credential of [tokens.issueToken(secretGrant).token, tokens.issueResume(secretGrant)]) {
      const readable =
        credential
          .split('.')
          .map((part) => Buffer.from(part, 'base64url').toString('latin1'))
          .join(' ') + credential;
      for (const value of Object.values(secretGrant)) expect(readable).not.toContain(value);
    }
  });

  it('still accepts a signed ticket issued before tickets were sealed, until it expires', () => {
    const legacy = (claims: object) => {
      const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `hw1.${body}.${createHmac('sha256', secret).update(`hw1.${body}`).digest('base64url')}`;
    };
    const tokens = createTokenService(secret);
    const inTenDays = Math.floor(Date.now() / 1000) + 10 * 24 * 3600;
    expect(tokens.verify(legacy({ kind: 'resume', ...grant, expiresAt: inTenDays }), 'resume')).toMatchObject({ status: 'success', claims: grant });
    expect(tokens.verify(legacy({ kind: 'resume', ...grant, expiresAt: inTenDays - 20 * 24 * 3600 }), 'resume')).toEqual({ status: 'fail', reason: 'expired' });
    expect(tokens.verify(legacy({ kind: 'resume', ...grant, conversationId: 'other', expiresAt: inTenDays }).replace(/\.[^.]+$/, '.AAAA'), 'resume')).toEqual({
      status: 'fail',
      reason: 'signature',
    });
  });

  it('keeps a resume ticket valid for 30 days', () => {
    const twentyNineDaysAgo = createTokenService(secret, () => Date.now() - 29 * 24 * 3600 * 1000).issueResume(grant);
    const thirtyOneDaysAgo = createTokenService(secret, () => Date.now() - 31 * 24 * 3600 * 1000).issueResume(grant);
    const tokens = createTokenService(secret);
    expect(tokens.verify(twentyNineDaysAgo, 'resume').status).toBe('success');
    expect(tokens.verify(thirtyOneDaysAgo, 'resume')).toEqual({ status: 'fail', reason: 'expired' });
  });
});
