import { pseudonymFor } from '../crypto/pseudonym.js';
import { PREFER_NOT_TO_SAY, type Case } from '../eligibility/case.js';
import { specialAnswers as SPECIAL_ANSWERS } from '../flows/schema.js';
import { evaluate } from '../eligibility/evaluate.js';
import { caseFromAnswers } from '../eligibility/from-answers.js';
import type { Programme } from '../eligibility/programme.js';
import { parseState } from '../engine/types.js';
import type { SafetyCategory } from '../safety/types.js';
import type { StoredConsent, StoredConversation } from '../store/repositories/conversations.js';
import {
  HANDOFF_REASONS,
  IN_THEIR_WORDS_MAX,
  REFERRAL_SCHEMA_VERSION,
  referralSnapshotSchema,
  type HandoffReason,
  type Priority,
  type PriorityCause,
  type ReferralSnapshot,
} from './record.js';

/** The consent scope that lets the referral carry the person's answers. */
export const SHARE_SCOPE = 'share_with_counsellor';

export interface BuildInput {
  /** What the safety detector heard, when the reason is a safety concern it raised. */
  safetyCategory?: SafetyCategory;
  conversation: Pick<StoredConversation, 'id' | 'channel' | 'locale' | 'flowState'>;
  consents: readonly StoredConsent[];
  /** The engine's reason; unknown reasons are kept as "other". */
  reason: string;
  programmes: readonly Programme[];
  now: Date;
}

export function toHandoffReason(reason: string): HandoffReason {
  return HANDOFF_REASONS.find((known) => known === reason) ?? 'other';
}

/**
 * Priority from the handoff reason and the case: urgent for a safety concern, high for a child
 * alone or a person pressured to return, elevated for any stated vulnerability, else normal.
 * @example priorityFor('client_request', { vulnerabilities: ['pregnant'] }) // { level: 'elevated', cause: 'vulnerability' }
 */
export function priorityFor(reason: HandoffReason, c: Case): { level: Priority; cause: PriorityCause } {
  if (reason === 'safety_concern') return { level: 'urgent', cause: 'safety_concern' };
  const vulnerabilities = (c.vulnerabilities ?? []).filter((item) => item !== PREFER_NOT_TO_SAY);
  if (reason === 'unaccompanied_minor' || c.household?.unaccompaniedMinor === true || vulnerabilities.includes('unaccompanied_minor')) {
    return { level: 'high', cause: 'unaccompanied_minor' };
  }
  // A return under pressure is not voluntary: a counsellor should speak with the person soon.
  if (reason === 'pressure') return { level: 'high', cause: 'pressure' };
  if (vulnerabilities.length > 0) return { level: 'elevated', cause: 'vulnerability' };
  return { level: 'normal', cause: 'none' };
}

/** What the person typed for a free-text question, trimmed and cut to `max`; nothing for "prefer not to say" or blank. */
function typedText(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string' || (SPECIAL_ANSWERS as readonly string[]).includes(value)) return undefined;
  const text = value.trim();
  return text === '' ? undefined : text.slice(0, max);
}

export { pseudonymFor };

/**
 * Builds the snapshot part of a referral record from the conversation. The person's answers are
 * included only when their latest consent decision granted sharing with a counsellor; otherwise
 * the record holds the pseudonym, language, channel, reason and priority, nothing personal.
 */
export function buildReferralSnapshot(input: BuildInput): ReferralSnapshot {
  const { conversation, now } = input;
  const reason = toHandoffReason(input.reason);
  const latest = [...input.consents].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).at(-1);
  const shared = latest?.granted === true && latest.scopes.includes(SHARE_SCOPE);

  const state = parseState(conversation.flowState);
  const answers = state.status === 'success' ? state.state.answers : {};
  const c: Case = shared ? caseFromAnswers(answers) : {};
  const returnRegion = shared ? typedText(answers.returnRegion, 120) : undefined;
  const inTheirWords = shared ? typedText(answers.inTheirWords, IN_THEIR_WORDS_MAX) : undefined;
  const vulnerabilities = c.vulnerabilities;
  const medicalNeeds = shared ? (vulnerabilities?.includes('medical_needs') ?? false) || (c.wishes?.includes('medical') ?? false) : undefined;

  const snapshot: ReferralSnapshot = {
    schemaVersion: REFERRAL_SCHEMA_VERSION,
    channel: conversation.channel,
    handoffReason: reason,
    priority: priorityFor(reason, c),
    who: {
      pseudonym: pseudonymFor(conversation.id),
      ...(c.ageBand !== undefined ? { ageBand: c.ageBand } : {}),
      ...(c.nationality !== undefined ? { nationality: c.nationality } : {}),
      ...(c.returnCountry !== undefined ? { returnCountry: c.returnCountry } : {}),
      ...(returnRegion !== undefined ? { returnRegion } : {}),
      languages: [conversation.locale],
    },
    where: {
      ...(c.hostCountry !== undefined ? { hostCountry: c.hostCountry } : {}),
      ...(c.hostCity !== undefined ? { hostCity: c.hostCity } : {}),
    },
    ...(c.legalStatus !== undefined ? { legalStatus: c.legalStatus } : {}),
    ...(c.asylumWithdrawn !== undefined ? { asylumWithdrawn: c.asylumWithdrawn } : {}),
    ...(c.priorReturnAssistance !== undefined ? { priorReturnAssistance: c.priorReturnAssistance } : {}),
    ...(c.household !== undefined ? { household: c.household } : {}),
    ...(vulnerabilities !== undefined ? { vulnerabilities } : {}),
    ...(medicalNeeds !== undefined ? { medicalNeeds } : {}),
    ...(c.wishes !== undefined ? { wishes: c.wishes } : {}),
    ...(inTheirWords !== undefined ? { inTheirWords } : {}),
    eligibility: shared ? evaluate(c, input.programmes, { today: now.toISOString().slice(0, 10) }) : [],
    handoffReasons: [reason],
    urgency: {
      safetyConcern: reason === 'safety_concern',
      ...(reason === 'safety_concern' && input.safetyCategory ? { safetyCategories: [input.safetyCategory] } : {}),
      ...(c.departureDeadline !== undefined ? { departureDeadline: c.departureDeadline } : {}),
      ...(c.detained !== undefined ? { detained: c.detained } : {}),
    },
    consent: {
      given: latest?.granted ?? false,
      scopes: latest?.granted ? [...latest.scopes] : [],
      noticeVersion: latest?.noticeVersion ?? null,
      at: latest ? latest.createdAt.toISOString() : null,
      channel: latest?.channel ?? null,
    },
    builtAt: now.toISOString(),
  };
  // The builder's output is the contract: fail here, not in a counsellor's export.
  return referralSnapshotSchema.parse(snapshot);
}

const rank: Record<Priority, number> = { urgent: 0, high: 1, elevated: 2, normal: 3 };

/** The higher of two priorities: a referral's priority is raised by new facts, never lowered. */
export function higherPriority<T extends { level: Priority }>(a: T, b: T): T {
  return rank[b.level] < rank[a.level] ? b : a;
}

export function priorityRank(level: Priority): number {
  return rank[level];
}

/**
 * A handoff requested again: the fresh snapshot (new answers) keeps what the first one knew. The
 * first reason stays the reason; every reason is kept in order; a safety concern, once raised, is
 * never dropped; the priority only rises.
 * @example mergeSnapshots(first, again).handoffReason // first.handoffReason, e.g. 'safety_concern'
 */
export function mergeSnapshots(previous: ReferralSnapshot, next: ReferralSnapshot): ReferralSnapshot {
  const reasons = [...(previous.handoffReasons ?? [previous.handoffReason]), ...(next.handoffReasons ?? [next.handoffReason])];
  const categories = [...(previous.urgency.safetyCategories ?? []), ...(next.urgency.safetyCategories ?? [])];
  const safetyConcern = previous.urgency.safetyConcern || next.urgency.safetyConcern;
  return referralSnapshotSchema.parse({
    ...next,
    handoffReason: previous.handoffReason,
    handoffReasons: reasons.filter((reason, index) => index === 0 || reasons[index - 1] !== reason),
    priority: higherPriority(previous.priority, next.priority),
    urgency: { ...next.urgency, safetyConcern, ...(categories.length > 0 ? { safetyCategories: [...new Set(categories)] } : {}) },
  });
}
