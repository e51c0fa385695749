import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { buildReferralSnapshot, priorityFor, pseudonymFor } from '../../src/referral/build.js';
import { CSV_COLUMNS, csvCell, exportCsv, exportJson } from '../../src/referral/export.js';
import { referralJsonSchema, type ReferralRecord } from '../../src/referral/record.js';
import { useTestDatabase } from '../support/databases.js';
import { conversationWith, fullAnswers, handoffFixture, localesAndCatalogue, newOrganisation } from './support.js';

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)) && /T/.test(value));
ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
const validate = ajv.compile(referralJsonSchema());

function expectValid(json: unknown): void {
  const ok = validate(json);
  expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
  expect(ok).toBe(true);
}

describe('the referral record', () => {
  const database = useTestDatabase('pglite');

  it('carries the case, eligibility per programme with reasons, urgency and consent when the person consented', async () => {
    const db = database();
    const { service } = await handoffFixture(db);
    const organisationId = await newOrganisation(db);
    const conversation = await conversationWith(db, organisationId, fullAnswers);
    const { referral } = await service.handoffRequested(conversation, 'intake_completed');
    await service.addNote({ userId: '00000000-0000-4000-8000-000000000001', organisationId, role: 'admin' }, referral.id, '=HYPERLINK("http://evil")');
    const record = await service.record(organisationId, referral.id);
    expect(record).toMatchObject({
      schemaVersion: 1,
      status: 'new',
      channel: 'web',
      handoffReason: 'intake_completed',
      priority: { level: 'elevated', cause: 'vulnerability' },
      who: { pseudonym: pseudonymFor(conversation.id), ageBand: '18-59', nationality: 'AF', returnCountry: 'AF', returnRegion: 'Herat', languages: ['en'] },
      where: { hostCountry: 'DE', hostCity: 'Berlin' },
      legalStatus: 'asylum_rejected',
      vulnerabilities: ['medical_needs'],
      medicalNeeds: true,
      wishes: ['travel', 'business'],
      // The open question's answer, trimmed: shown at the top of the referral.
      inTheirWords: 'My mother is ill in Herat, and I am afraid of the debts we still have there.',
      urgency: { safetyConcern: false, departureDeadline: '2027-01-15', detained: 'no' },
      consent: { given: true, scopes: ['store_answers', 'share_with_counsellor'], noticeVersion: '2026-11-v1', channel: 'web' },
      history: [{ type: 'created', actorUserId: null }, { type: 'note_added' }],
      notes: [{ text: '=HYPERLINK("http://evil")' }],
    });
    expect(record!.eligibility.length).toBeGreaterThan(0);
    expect(record!.eligibility[0]).toMatchObject({ programme: expect.any(String), outcome: expect.stringMatching(/eligible/), reasons: expect.any(Array) });

    // Every export validates against the published JSON Schema.
    expectValid(record);
    expectValid(JSON.parse(exportJson(record!)));

    const csv = exportCsv([record!]);
    const [header, row] = csv.split('\r\n');
    expect(header).toBe(CSV_COLUMNS.join(','));
    expect(row).toContain('Herat');
    expect(row).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });

  it('leaves out every personal field without consent to share', async () => {
    const db = database();
    const { service } = await handoffFixture(db);
    const organisationId = await newOrganisation(db);
    const conversation = await conversationWith(db, organisationId, fullAnswers, { consent: false });
    const { referral } = await service.handoffRequested(conversation, 'client_request');
    const record = (await service.record(organisationId, referral.id)) as ReferralRecord;
    expectValid(record);
    expect(record.who).toEqual({ pseudonym: pseudonymFor(conversation.id), languages: ['en'] });
    expect(record.where).toEqual({});
    expect(record.eligibility).toEqual([]);
    expect(record.consent).toMatchObject({ given: false, scopes: [] });
    const json = JSON.stringify(record);
    for (const personal of ['Herat', 'Berlin', 'asylum_rejected', 'AF', '2027-01-15', 'medical', 'debts']) expect(json).not.toContain(personal);
  });
});

describe('priority', () => {
  it('is urgent for a safety concern, high for a child alone, elevated for any vulnerability, else normal', () => {
    expect(priorityFor('safety_concern', {})).toEqual({ level: 'urgent', cause: 'safety_concern' });
    expect(priorityFor('unaccompanied_minor', {})).toEqual({ level: 'high', cause: 'unaccompanied_minor' });
    expect(priorityFor('client_request', { household: { unaccompaniedMinor: true } })).toEqual({ level: 'high', cause: 'unaccompanied_minor' });
    expect(priorityFor('client_request', { vulnerabilities: ['pregnant'] })).toEqual({ level: 'elevated', cause: 'vulnerability' });
    expect(priorityFor('client_request', { vulnerabilities: ['prefer_not_to_say'] })).toEqual({ level: 'normal', cause: 'none' });
    expect(priorityFor('intake_completed', {})).toEqual({ level: 'normal', cause: 'none' });
    // A return under pressure is not voluntary: high, above a vulnerability, below a child alone.
    expect(priorityFor('pressure', { vulnerabilities: ['pregnant'] })).toEqual({ level: 'high', cause: 'pressure' });
    expect(priorityFor('pressure', { household: { unaccompaniedMinor: true } })).toEqual({ level: 'high', cause: 'unaccompanied_minor' });
  });

  it('keeps no "prefer not to say" or blank answer as the person\'s own words', async () => {
    const { programmes } = await localesAndCatalogue();
    const consent = {
      id: 'c',
      conversationId: '3f7d1a52-3b7c-4f5e-9a51-2b1c0d9e8f71',
      noticeVersion: 'v1',
      granted: true,
      scopes: ['store_answers', 'share_with_counsellor'],
      channel: 'web' as const,
      createdAt: new Date(),
    };
    for (const inTheirWords of ['prefer_not_to_say', '   ']) {
      const conversation = {
        id: consent.conversationId,
        channel: 'web' as const,
        locale: 'en',
        flowState: { v: 1, flow: 'counselling', node: 'x', awaiting: true, finished: false, answers: { inTheirWords }, consent: 'given' },
      };
      const snapshot = buildReferralSnapshot({ conversation, consents: [consent], reason: 'client_request', programmes, now: new Date() });
      expect(snapshot.inTheirWords).toBeUndefined();
    }
  });

  it('uses the case only with consent to share', async () => {
    const { programmes } = await localesAndCatalogue();
    const conversation = {
      id: '3f7d1a52-3b7c-4f5e-9a51-2b1c0d9e8f70',
      channel: 'telegram' as const,
      locale: 'ar',
      flowState: { v: 1, flow: 'intake', node: 'x', awaiting: true, finished: false, answers: { vulnerabilities: ['pregnant'] }, consent: 'given' },
    };
    const consent = {
      id: 'c',
      conversationId: conversation.id,
      noticeVersion: 'v1',
      granted: true,
      scopes: ['store_answers'],
      channel: 'telegram' as const,
      createdAt: new Date(),
    };
    const snapshot = buildReferralSnapshot({ conversation, consents: [consent], reason: 'client_request', programmes, now: new Date() });
    expect(snapshot.priority.level).toBe('normal');
    expect(snapshot.vulnerabilities).toBeUndefined();
  });
});

describe('CSV cells', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+31 6', "'+31 6"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
  ])('%s becomes %s', (input, output) => {
    expect(csvCell(input)).toBe(output);
  });
});
