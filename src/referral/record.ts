import { z } from 'zod';
import { safetyCategories } from '../safety/types.js';
import {
  AGE_BANDS,
  CountryCodeSchema,
  HouseholdSchema,
  LEGAL_STATUSES,
  PREFER_NOT_TO_SAY,
  STATELESS,
  TRI_STATES,
  UNKNOWN,
  VULNERABILITIES,
  WISHES,
} from '../eligibility/case.js';

/*
 * The referral record: what a counsellor (or a case-management system pulling from the API) gets,
 * enough to act without asking the person again (see shared/domain/AVRR.md, "What counsellors need
 * in a referral"). Versioned by `schemaVersion`; a change of shape gets a new version, never a
 * silent edit. Published as JSON Schema at GET /schemas/referral.json.
 */

export const REFERRAL_SCHEMA_VERSION = 1;

export const REFERRAL_STATUSES = ['new', 'claimed', 'in_progress', 'referred', 'closed', 'cancelled'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
/** Open statuses: the referral still needs someone. */
export const OPEN_STATUSES: readonly ReferralStatus[] = ['new', 'claimed', 'in_progress', 'referred'];

/** Highest first; the database enum has the same order, so sorting by it puts urgent first. */
export const PRIORITIES = ['urgent', 'high', 'elevated', 'normal'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const PRIORITY_CAUSES = ['safety_concern', 'unaccompanied_minor', 'pressure', 'vulnerability', 'none'] as const;
export type PriorityCause = (typeof PRIORITY_CAUSES)[number];

/** Why the conversation asked for a person (the engine's `handoff_requested` reasons). */
/** `pressure`: the person said someone is pressuring them to return (a return must be their free choice). */
/** The longest answer kept for the open question (the flow's `maxLength` is the same). */
export const IN_THEIR_WORDS_MAX = 1000;

export const HANDOFF_REASONS = ['client_request', 'intake_completed', 'unaccompanied_minor', 'safety_concern', 'pressure', 'other'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

const isoDateTime = z.iso.datetime({ offset: true });
const uuid = z.uuid();
const locale = z.string().min(2).max(35);

const reasonSchema = z.strictObject({
  /** An i18n key (e.g. "eligibility:reason.host_country"), rendered in the reader's language. */
  key: z.string().min(1),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});

const estimateSchema = z.strictObject({
  currency: z.string().length(3),
  upTo: z.number().min(0),
  components: z.array(z.strictObject({ kind: z.string().min(1), upTo: z.number().min(0) })),
  /** Kinds of support that apply without a verified figure (a counsellor says how much). */
  unquantified: z.array(z.string().min(1)).optional(),
  capped: z.boolean(),
  toBeConfirmed: z.literal(true),
});

export const programmeOutcomeSchema = z.strictObject({
  programme: z.string().min(1),
  outcome: z.enum(['eligible', 'possibly_eligible', 'not_eligible']),
  reasons: z.array(reasonSchema),
  /** Case fields whose answers would settle a possible eligibility. */
  missing: z.array(z.string()),
  estimate: estimateSchema.nullable(),
});

const whoSchema = z.strictObject({
  /** Stable per conversation and meaningless outside it; Homeward does not ask for names. */
  pseudonym: z.string().min(1),
  ageBand: z.enum(AGE_BANDS).optional(),
  nationality: z.union([CountryCodeSchema, z.enum([STATELESS, UNKNOWN, PREFER_NOT_TO_SAY])]).optional(),
  returnCountry: z.union([CountryCodeSchema, z.enum([UNKNOWN, PREFER_NOT_TO_SAY])]).optional(),
  returnRegion: z.string().min(1).max(120).optional(),
  /** The chat's language first. */
  languages: z.array(locale).min(1),
});

const whereSchema = z.strictObject({
  hostCountry: CountryCodeSchema.optional(),
  hostCity: z.string().min(1).max(120).optional(),
});

const consentSchema = z.strictObject({
  given: z.boolean(),
  /** What was agreed to, e.g. ["store_answers", "share_with_counsellor"]. */
  scopes: z.array(z.string()),
  noticeVersion: z.string().nullable(),
  at: isoDateTime.nullable(),
  channel: z.enum(['web', 'telegram']).nullable(),
});

const historyEntrySchema = z.strictObject({
  /** created, updated, claimed, status_changed, handed_back, closed, cancelled, message_sent, note_added... */
  type: z.string().min(1),
  at: isoDateTime,
  /** The console user who did it; null for the person or the system. */
  actorUserId: uuid.nullable(),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});

const noteSchema = z.strictObject({
  at: isoDateTime,
  authorUserId: uuid.nullable(),
  text: z.string().min(1).max(4000),
});

/**
 * The part of the record built from the conversation when the handoff is requested (and rebuilt
 * when it is requested again); stored in `Referral.record`. Status, history, assignment and notes
 * live in their own columns and rows and are added when the record is read.
 */
export const referralSnapshotSchema = z.strictObject({
  schemaVersion: z.literal(REFERRAL_SCHEMA_VERSION),
  channel: z.enum(['web', 'telegram']),
  /** The first reason a person was handed to a counsellor for; a later request never replaces it. */
  handoffReason: z.enum(HANDOFF_REASONS),
  /** Every reason, in the order they were raised (absent in records built before it existed). */
  handoffReasons: z.array(z.enum(HANDOFF_REASONS)).optional(),
  priority: z.strictObject({ level: z.enum(PRIORITIES), cause: z.enum(PRIORITY_CAUSES) }),
  who: whoSchema,
  where: whereSchema,
  legalStatus: z.enum(LEGAL_STATUSES).optional(),
  asylumWithdrawn: z.enum(TRI_STATES).optional(),
  priorReturnAssistance: z.enum(TRI_STATES).optional(),
  household: HouseholdSchema.optional(),
  vulnerabilities: z.array(z.enum(VULNERABILITIES)).optional(),
  /** True when the person named medical needs or asked for medical help. */
  medicalNeeds: z.boolean().optional(),
  wishes: z.array(z.enum(WISHES)).optional(),
  /**
   * The person's answer, in their words, to "what makes you think about returning, and what
   * worries you?" (optional; only with consent to share). Shown at the top of the referral.
   */
  inTheirWords: z.string().min(1).max(IN_THEIR_WORDS_MAX).optional(),
  /** Per programme of the catalogue, with reasons as i18n keys. Empty without consent. */
  eligibility: z.array(programmeOutcomeSchema),
  urgency: z.strictObject({
    /** Once true, true for the life of the referral. */
    safetyConcern: z.boolean(),
    /** What the safety detector heard, in order (absent when nothing was heard, e.g. the "I am in danger" button). */
    safetyCategories: z.array(z.enum(safetyCategories)).optional(),
    /** YYYY-MM-DD; null: no deadline; "unknown": the person does not know. Absent: not asked or not shared. */
    departureDeadline: z.union([z.iso.date(), z.null(), z.literal(UNKNOWN)]).optional(),
    detained: z.enum(TRI_STATES).optional(),
  }),
  consent: consentSchema,
  builtAt: isoDateTime,
});
export type ReferralSnapshot = z.infer<typeof referralSnapshotSchema>;

export const referralRecordSchema = referralSnapshotSchema.extend({
  id: uuid,
  organisationId: uuid,
  conversationId: uuid,
  status: z.enum(REFERRAL_STATUSES),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  closedAt: isoDateTime.nullable(),
  assignment: z.strictObject({ userId: uuid, displayName: z.string().nullable() }).nullable(),
  history: z.array(historyEntrySchema),
  notes: z.array(noteSchema),
});
export type ReferralRecord = z.infer<typeof referralRecordSchema>;
export type ReferralHistoryEntry = z.infer<typeof historyEntrySchema>;
export type ReferralNote = z.infer<typeof noteSchema>;
export type ProgrammeOutcome = z.infer<typeof programmeOutcomeSchema>;

let published: Record<string, unknown> | undefined;

/** The JSON Schema (draft 2020-12) of `ReferralRecord`, as served at GET /schemas/referral.json. */
export function referralJsonSchema(): Record<string, unknown> {
  published ??= {
    $id: 'https://homeward.invalid/schemas/referral.json',
    title: 'Homeward referral record',
    ...z.toJSONSchema(referralRecordSchema, { target: 'draft-2020-12', io: 'output' }),
  };
  return published;
}
