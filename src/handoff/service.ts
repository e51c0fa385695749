import type { i18n as I18n } from 'i18next';
import type { Logger } from 'pino';
import type { RenderedMessage } from '../conversation/render.js';
import type { Programme } from '../eligibility/programme.js';
import type { Translate } from '../engine/types.js';
import { buildReferralSnapshot, mergeSnapshots, toHandoffReason } from '../referral/build.js';
import type { SafetyCategory } from '../safety/types.js';
import { composeRecord } from '../referral/export.js';
import { referralSnapshotSchema, type ReferralRecord, type ReferralStatus } from '../referral/record.js';
import type { ConversationRepository, StoredConversation, StoredMessage } from '../store/repositories/conversations.js';
import type {
  OutboundForPerson,
  QueuedOutbound,
  ReferralPage,
  ReferralQuery,
  ReferralRepository,
  StoredReferral,
  TransitionInput,
} from '../store/repositories/referrals.js';
import { contactsFor, formatContacts } from './emergency-contacts.js';
import type { HandoffEvents } from './events.js';
import { officeStatus, parseOfficeHours, type OfficeStatus } from './office-hours.js';
import type { OutboxPayload } from './outbox.js';
import type { CachedTranslation } from '../translation/cached.js';

/** A console user acting on a referral, already authenticated and bound to one organisation. */
export interface Actor {
  userId: string;
  organisationId: string;
  role: 'counsellor' | 'admin';
}

export type WaitEstimate = { kind: 'estimate'; minutes: number; samples: number } | { kind: 'not_enough_data' };

export interface QueueInfo {
  /** 1 for the next to be claimed; null when the referral is no longer waiting (claimed or closed). */
  position: number | null;
  wait: WaitEstimate;
  office: OfficeStatus;
  /** The organisation's time zone, in which opening times are shown. */
  timeZone: string;
}

export type ActionResult<T> =
  | { ok: true; value: T }
  /** Unknown id or another organisation's: the caller learns nothing more. */
  | { ok: false; reason: 'not_found' }
  /** Claimed by someone else, or already closed: says the current status. */
  | { ok: false; reason: 'conflict'; status: ReferralStatus; assignedUserId: string | null }
  /** Only the assignee (or an admin) may do this. */
  | { ok: false; reason: 'not_assignee' }
  /** The transition is not allowed from the current status. */
  | { ok: false; reason: 'wrong_status'; status: ReferralStatus }
  /** No active user of the organisation has this id (another organisation's users included). */
  | { ok: false; reason: 'no_such_user' }
  /** The referral is already that user's, or already unassigned. */
  | { ok: false; reason: 'unchanged'; status: ReferralStatus };

export interface HandoffServiceDeps {
  referrals: ReferralRepository;
  conversations: ConversationRepository;
  programmes: readonly Programme[];
  /** i18next instance, to register the `when` format used in notices. */
  i18n: I18n;
  translatorFor(locale: string): Translate;
  events: HandoffEvents;
  logger: Logger;
  clock?: () => Date;
  /** Recent claims (within 14 days) needed before a wait is estimated. */
  minWaitSamples?: number;
  /** The organisation's stored emergency numbers (`Organisation.emergencyContacts`); without it a safety concern gets 112. */
  emergencyContactsOf?(organisationId: string): Promise<unknown>;
  /**
   * Ids of the programmes the organisation does not offer (`Organisation.disabledProgrammes`): the
   * referral evaluates only the offered ones, as the conversation explained them to the person.
   */
  disabledProgrammesOf?(organisationId: string): Promise<readonly string[]>;
  /** Machine translation (`TRANSLATION_URL`); without it a counsellor's message always goes as written. */
  translation?: CachedTranslation;
}

/** How a counsellor's message went: `machine` translated, `failed` (sent as written), `none` not asked for or not needed. */
export type SentTranslation = 'machine' | 'failed' | 'none';

const WAIT_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
const WAIT_SAMPLES = 20;
const OPEN: ReferralStatus[] = ['new', 'claimed', 'in_progress', 'referred'];
const ASSIGNED: ReferralStatus[] = ['claimed', 'in_progress', 'referred'];

/**
 * The handoff between the bot and counsellors: turns `handoff_requested` into a referral in the
 * organisation's queue, and carries out the console's actions (claim, messages, status, hand
 * back, close) with their effect on the conversation. Each action is one transaction in the
 * store; events go out after it committed.
 */
export class HandoffService {
  private readonly now: () => Date;

  constructor(private readonly deps: HandoffServiceDeps) {
    this.now = deps.clock ?? (() => new Date());
    registerFormats(deps.i18n);
  }

  /**
   * Creates the conversation's referral (or updates its open one: new answers, a priority that
   * only goes up, the first reason and a safety concern kept) and stores the notice telling the
   * person where they are in the queue. Returns the notice to add to the current reply. With
   * `helpGiven` (the turn already carried `emergencyHelp`'s messages) neither the numbers nor the
   * queue notice are sent again: the turn's last message must stay the one with its button.
   */
  async handoffRequested(
    conversation: StoredConversation,
    reason: string,
    options: { category?: SafetyCategory; helpGiven?: boolean } = {},
  ): Promise<{
    referral: StoredReferral;
    created: boolean;
    queue: QueueInfo;
    notice: RenderedMessage | null;
    stored: StoredMessage | null;
    emergency?: { notice: RenderedMessage; stored: StoredMessage | null };
  }> {
    // A safety concern: the numbers to call go out first, before anything that could fail.
    const emergency = reason === 'safety_concern' && !options.helpGiven ? await this.emergencyNotice(conversation, options.category) : undefined;
    const now = this.now();
    const snapshot = buildReferralSnapshot({
      conversation,
      consents: await this.deps.conversations.listConsents(conversation.id),
      reason,
      ...(options.category ? { safetyCategory: options.category } : {}),
      programmes: await this.offeredProgrammes(conversation.organisationId),
      now,
    });
    let referral: StoredReferral | null = null;
    let created = false;
    for (let attempt = 0; attempt < 3 && !referral; attempt++) {
      const open = await this.deps.referrals.findOpenByConversation(conversation.id);
      if (open) {
        const previous = referralSnapshotSchema.safeParse(open.record);
        const record = previous.success ? mergeSnapshots(previous.data, snapshot) : snapshot;
        referral = await this.deps.referrals.updateSnapshot(open.id, {
          priority: record.priority.level,
          record,
          event: {
            type: 'handoff_requested_again',
            actorUserId: null,
            data: { reason: toHandoffReason(reason), priority: record.priority.level, ...(options.category ? { category: options.category } : {}) },
          },
        });
      } else {
        referral = await this.deps.referrals.createOpen({
          organisationId: conversation.organisationId,
          conversationId: conversation.id,
          priority: snapshot.priority.level,
          record: snapshot,
          event: {
            type: 'created',
            actorUserId: null,
            data: { reason: toHandoffReason(reason), priority: snapshot.priority.level, ...(options.category ? { category: options.category } : {}) },
          },
          now,
        });
        created = referral !== null;
      }
    }
    if (!referral) throw new Error('could not create or find the open referral');

    const queue = await this.queueInfo(referral);
    let notice: RenderedMessage | null = null;
    let stored: StoredMessage | null = null;
    if (!options.helpGiven) {
      const t = this.deps.translatorFor(conversation.locale);
      const ref = referral.status === 'new' ? queueNotice(queue) : { key: 'handoff:counsellor_told' };
      notice = { key: ref.key, ...(ref.params ? { params: ref.params } : {}), text: t(ref.key, ref.params), choices: [] };
      stored =
        (
          await this.deps.referrals.queueForPerson(
            conversation.id,
            {
              author: 'system',
              text: notice.text,
              textKey: notice.key,
              ...(ref.params ? { textParams: ref.params } : {}),
              locale: conversation.locale,
              payload: {},
            },
            { outbox: false },
          )
        )?.message ?? null;
    }
    this.deps.events.publish(
      created
        ? {
            type: 'referral_created',
            organisationId: referral.organisationId,
            referralId: referral.id,
            conversationId: conversation.id,
            priority: referral.priority,
            status: referral.status,
          }
        : this.updated(referral, 'handoff_requested_again'),
    );
    return { referral, created, queue, notice, stored, ...(emergency ? { emergency } : {}) };
  }

  /**
   * What a person in danger reads first, before anything else of the turn (the turn stores these
   * with its own messages): the numbers for their host country and the danger heard, then the
   * honest word on when a counsellor can answer: "now" only while the office is open; otherwise
   * the day and hour it opens, and the number to call until then. Never fails: without the
   * organisation's data it says 112 and that a counsellor has been asked.
   * @example await service.emergencyHelp(conversation, 'suicide') // [{ key: 'handoff:emergency_contacts', ... }, { key: 'handoff:safety_closed', ... }]
   */
  async emergencyHelp(conversation: StoredConversation, category?: SafetyCategory): Promise<RenderedMessage[]> {
    const t = this.deps.translatorFor(conversation.locale);
    const contacts = await this.contactsOf(conversation, category);
    const list = { key: 'handoff:emergency_contacts', params: { contacts: formatContacts(contacts, t, conversation.locale) } };
    const firstNumber = contacts[0]?.number ?? '112';
    let when: { key: string; params?: Record<string, unknown> };
    if (conversation.status === 'human') when = { key: 'handoff:safety_counsellor_on_chat' };
    else {
      try {
        const office = await this.deps.referrals.officeOf(conversation.organisationId);
        const { hours } = parseOfficeHours(office?.officeHours ?? null);
        const timeZone = office?.timeZone ?? 'Europe/Berlin';
        const status = officeStatus(hours, timeZone, this.now());
        when = status.open
          ? { key: 'handoff:safety_open' }
          : status.opensAt
            ? { key: 'handoff:safety_closed', params: { opensAt: status.opensAt.toISOString(), number: firstNumber, formatParams: { opensAt: { timeZone } } } }
            : { key: 'handoff:safety_closed_unknown', params: { number: firstNumber } };
      } catch (error) {
        this.deps.logger.error(
          { err: error, organisationId: conversation.organisationId },
          'could not read the office hours; saying a counsellor has been asked, without a time',
        );
        when = { key: 'handoff:safety_closed_unknown', params: { number: firstNumber } };
      }
    }
    return [list, when].map((ref) => ({ key: ref.key, ...(ref.params ? { params: ref.params } : {}), text: t(ref.key, ref.params), choices: [] }));
  }

  private async contactsOf(conversation: StoredConversation, category?: SafetyCategory) {
    let stored: unknown = null;
    try {
      stored = (await this.deps.emergencyContactsOf?.(conversation.organisationId)) ?? null;
    } catch (error) {
      this.deps.logger.error({ err: error, organisationId: conversation.organisationId }, 'could not read the emergency contacts; sending 112');
    }
    const { contacts, valid } = contactsFor(stored, conversation, category);
    if (!valid) this.deps.logger.warn({ organisationId: conversation.organisationId }, 'stored emergency contacts are invalid; sending 112');
    return contacts;
  }

  /** The catalogue less what the organisation turned off; the whole catalogue if that cannot be read (a referral must not fail for it). */
  private async offeredProgrammes(organisationId: string): Promise<readonly Programme[]> {
    let disabled: readonly string[] = [];
    try {
      disabled = (await this.deps.disabledProgrammesOf?.(organisationId)) ?? [];
    } catch (error) {
      this.deps.logger.error({ err: error, organisationId }, 'could not read the programmes the organisation offers; the referral evaluates every programme');
    }
    return disabled.length === 0 ? this.deps.programmes : this.deps.programmes.filter((programme) => !disabled.includes(programme.id));
  }

  /** `handoff:emergency_contacts` with the numbers for the person's host country (see `contactsFor`), stored in the conversation. */
  private async emergencyNotice(
    conversation: StoredConversation,
    category?: SafetyCategory,
  ): Promise<{ notice: RenderedMessage; stored: StoredMessage | null }> {
    const contacts = await this.contactsOf(conversation, category);
    const t = this.deps.translatorFor(conversation.locale);
    const key = 'handoff:emergency_contacts';
    const params = { contacts: formatContacts(contacts, t, conversation.locale) };
    const notice: RenderedMessage = { key, params, text: t(key, params), choices: [] };
    const queued = await this.deps.referrals.queueForPerson(
      conversation.id,
      { author: 'system', text: notice.text, textKey: key, textParams: params, locale: conversation.locale, payload: {} },
      { outbox: false },
    );
    return { notice, stored: queued?.message ?? null };
  }

  /** Place in the queue, a rough wait from recent claims, and whether the office is open. */
  async queueInfo(referral: StoredReferral): Promise<QueueInfo> {
    const now = this.now();
    const office = await this.deps.referrals.officeOf(referral.organisationId);
    const { hours, valid } = parseOfficeHours(office?.officeHours ?? null);
    if (!valid) this.deps.logger.warn({ organisationId: referral.organisationId }, 'stored office hours are invalid; using the default week');
    const timeZone = office?.timeZone ?? 'Europe/Berlin';
    const status = officeStatus(hours, timeZone, now);
    const position = referral.status === 'new' ? (await this.deps.referrals.countAhead(referral)) + 1 : null;
    const waits = await this.deps.referrals.recentWaits(referral.organisationId, new Date(now.getTime() - WAIT_WINDOW_MS), WAIT_SAMPLES);
    return { position, wait: estimateWait(waits, this.deps.minWaitSamples ?? 3), office: status, timeZone };
  }

  /** A person's message arrived while a counsellor owns the chat: tell the consoles. */
  clientMessageForCounsellor(conversation: StoredConversation, message: StoredMessage, text: string, referralId: string | null): void {
    this.deps.events.publish({
      type: 'client_message',
      organisationId: conversation.organisationId,
      referralId,
      conversationId: conversation.id,
      messageId: message.id,
      seq: message.seq,
      text,
      at: message.createdAt.toISOString(),
    });
  }

  async list(organisationId: string, statuses?: readonly ReferralStatus[]): Promise<StoredReferral[]> {
    return this.deps.referrals.list(organisationId, statuses ? { statuses } : {});
  }

  /** One page of the organisation's referrals in the queue's order (the console's list and search). */
  page(organisationId: string, query: ReferralQuery): Promise<ReferralPage> {
    return this.deps.referrals.page(organisationId, query);
  }

  /** The referral, or null for an unknown id or another organisation's referral. */
  find(organisationId: string, referralId: string): Promise<StoredReferral | null> {
    return this.deps.referrals.findInOrganisation(organisationId, referralId);
  }

  /** The full record, or null for an unknown id or another organisation's referral. */
  async record(organisationId: string, referralId: string): Promise<ReferralRecord | null> {
    const referral = await this.deps.referrals.findInOrganisation(organisationId, referralId);
    if (!referral) return null;
    const events = await this.deps.referrals.listEvents(referral.id);
    const names = referral.assignedUserId ? await this.deps.referrals.displayNames([referral.assignedUserId]) : new Map<string, string | null>();
    return composeRecord({
      ...referral,
      assignedDisplayName: referral.assignedUserId ? (names.get(referral.assignedUserId) ?? null) : null,
      events,
    });
  }

  async claim(actor: Actor, referralId: string): Promise<ActionResult<StoredReferral>> {
    const conversation = await this.conversationOf(actor.organisationId, referralId);
    if (!conversation) return { ok: false, reason: 'not_found' };
    const name = await this.displayNameOf(actor.userId);
    const result = await this.deps.referrals.claim({
      organisationId: actor.organisationId,
      referralId,
      userId: actor.userId,
      now: this.now(),
      notice: this.joinedNotice(conversation, 'handoff:counsellor_joined', name),
    });
    if (!result.ok) {
      return result.reason === 'not_found'
        ? { ok: false, reason: 'not_found' }
        : { ok: false, reason: 'conflict', status: result.status, assignedUserId: result.assignedUserId };
    }
    this.afterChange(result.referral, 'claimed', result.queued);
    return { ok: true, value: result.referral };
  }

  /**
   * Hands the referral to a colleague of the same organisation (`userId`), or back to the queue
   * (`null`). Its assignee may do this, an admin always; the person is told in their language.
   */
  async assign(actor: Actor, referralId: string, userId: string | null): Promise<ActionResult<StoredReferral>> {
    const conversation = await this.conversationOf(actor.organisationId, referralId);
    if (!conversation) return { ok: false, reason: 'not_found' };
    // The colleague's name is read before the transaction: a name changed meanwhile is harmless.
    const name = userId ? await this.displayNameOf(userId) : null;
    const result = await this.deps.referrals.reassign({
      organisationId: actor.organisationId,
      referralId,
      ...(actor.role === 'admin' ? {} : { assignee: actor.userId }),
      toUserId: userId,
      actorUserId: actor.userId,
      notice: (change) =>
        change === 'unassigned'
          ? this.notice(conversation, 'handoff:counsellor_transferred')
          : this.joinedNotice(conversation, change === 'assigned' ? 'handoff:counsellor_joined' : 'handoff:counsellor_transferred', name),
      now: this.now(),
    });
    if (result.ok) {
      this.afterChange(result.referral, result.change, result.queued);
      return { ok: true, value: result.referral };
    }
    switch (result.reason) {
      case 'not_found':
      case 'no_such_user':
      case 'not_assignee':
        return { ok: false, reason: result.reason };
      case 'wrong_status':
      case 'unchanged':
        return { ok: false, reason: result.reason, status: result.status };
      default: {
        const unreachable: never = result;
        throw new Error(`unknown reassign result ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** Open referrals per assignee of the organisation (the console's colleague list). */
  openCountsByAssignee(organisationId: string): Promise<Map<string, number>> {
    return this.deps.referrals.openCountsByAssignee(organisationId);
  }

  /** Stores the counsellor's words in the conversation and queues them for the person's channel. */
  async sendMessage(
    actor: Actor,
    referralId: string,
    text: string,
    canned?: { key: string },
    options: { translate?: boolean } = {},
  ): Promise<ActionResult<{ message: StoredMessage; outboxId: string; translation: SentTranslation }>> {
    const referral = await this.deps.referrals.findInOrganisation(actor.organisationId, referralId);
    if (!referral) return { ok: false, reason: 'not_found' };
    if (!ASSIGNED.includes(referral.status)) return { ok: false, reason: 'wrong_status', status: referral.status };
    if (referral.assignedUserId !== actor.userId && actor.role !== 'admin') return { ok: false, reason: 'not_assignee' };
    const conversation = await this.deps.conversations.findById(referral.conversationId);
    if (!conversation) return { ok: false, reason: 'not_found' };
    // A canned reply goes in the person's language, and keeps its key so the console can show it in the counsellor's.
    let words = canned ? this.deps.translatorFor(conversation.locale)(canned.key) : text;
    // Free text the counsellor asked to translate: into the person's language, the original kept;
    // if the engine fails (down, slow: bounded by its timeout) the message goes as written.
    let translation: OutboundForPerson['translation'];
    const translator = this.deps.translation;
    // The source is detected by the engine: the console does not know which language a counsellor writes in.
    if (!canned && options.translate && translator) {
      const result = await translator.translate(conversation.id, { source: 'auto', target: conversation.locale, text });
      if (result.status === 'translated') {
        translation = { status: 'machine', original: text };
        // Stored as delivered: the web channel renders the stored message, Telegram the outbox payload,
        // and the transcript shows what the person read.
        words = `${result.text}\n\n${this.deps.translatorFor(conversation.locale)('handoff:translated_automatically')}`;
      } else translation = { status: 'failed' };
    }
    // The person sees who writes: the sender's display name, never their e-mail address.
    const authorName = (await this.displayNameOf(actor.userId)) ?? undefined;
    const payload: Omit<OutboxPayload, 'messageId' | 'seq'> = {
      kind: 'counsellor',
      text: words,
      ...(canned ? { key: canned.key } : {}),
      ...(authorName ? { authorName } : {}),
      locale: conversation.locale,
      choices: [],
    };
    const queued = await this.deps.referrals.queueForPerson(conversation.id, {
      author: 'counsellor',
      text: words,
      ...(canned ? { textKey: canned.key } : {}),
      locale: conversation.locale,
      payload,
      ...(authorName ? { authorName } : {}),
      ...(translation ? { translation } : {}),
    });
    if (!queued?.outboxId) return { ok: false, reason: 'not_found' };
    await this.deps.referrals.addEvent(referral.id, { type: 'message_sent', actorUserId: actor.userId, data: { seq: queued.message.seq } });
    this.deps.events.publish({
      type: 'counsellor_message',
      organisationId: referral.organisationId,
      referralId: referral.id,
      conversationId: conversation.id,
      messageId: queued.message.id,
      outboxId: queued.outboxId,
      seq: queued.message.seq,
      authorUserId: actor.userId,
      at: queued.message.createdAt.toISOString(),
    });
    this.deps.events.publish({
      type: 'outbox_enqueued',
      organisationId: referral.organisationId,
      conversationId: conversation.id,
      outboxId: queued.outboxId,
      channel: queued.channel,
    });
    return {
      ok: true,
      value: { message: queued.message, outboxId: queued.outboxId, translation: translation?.status ?? 'none' },
    };
  }

  /** The bot takes the chat again; the referral stays with its counsellor until closed. */
  handBack(actor: Actor, referralId: string): Promise<ActionResult<StoredReferral>> {
    return this.transition(actor, referralId, 'handed_back', {
      from: ASSIGNED,
      conversationStatus: 'bot',
      conversationStatusFrom: ['human', 'queued'],
      noticeKey: 'handoff:handed_back',
    });
  }

  async close(actor: Actor, referralId: string, reason: string): Promise<ActionResult<StoredReferral>> {
    return this.transition(actor, referralId, 'closed', {
      from: OPEN,
      to: 'closed',
      finish: true,
      conversationStatus: 'bot',
      conversationStatusFrom: ['human', 'queued'],
      data: { reason },
      noticeKey: 'handoff:closed',
      // Anyone of the organisation may close a referral nobody claimed (e.g. a duplicate).
      anyoneWhenNew: true,
    });
  }

  /** PATCH status: in progress, referred to a provider (which), or closed (why). */
  async setStatus(
    actor: Actor,
    referralId: string,
    change: { status: 'in_progress' } | { status: 'referred'; provider: string } | { status: 'closed'; reason: string },
  ): Promise<ActionResult<StoredReferral>> {
    if (change.status === 'closed') return this.close(actor, referralId, change.reason);
    return this.transition(actor, referralId, 'status_changed', {
      from: ASSIGNED,
      to: change.status,
      data: { status: change.status, ...(change.status === 'referred' ? { provider: change.provider } : {}) },
    });
  }

  async addNote(actor: Actor, referralId: string, text: string): Promise<ActionResult<{ at: Date }>> {
    const referral = await this.deps.referrals.findInOrganisation(actor.organisationId, referralId);
    if (!referral) return { ok: false, reason: 'not_found' };
    const event = await this.deps.referrals.addEvent(referral.id, { type: 'note_added', actorUserId: actor.userId, data: { text } });
    this.deps.events.publish(this.updated(referral, 'note_added'));
    return { ok: true, value: { at: event.createdAt } };
  }

  /**
   * The person withdrew their request (a channel or the engine calls this). Only a referral that
   * is still waiting or being worked on can be cancelled; the chat goes back to the bot. With
   * `tellPerson: false` no notice is queued: the caller's reply has already told them.
   */
  async cancelByPerson(conversationId: string, options: { tellPerson?: boolean } = {}): Promise<ActionResult<StoredReferral>> {
    const referral = await this.deps.referrals.findOpenByConversation(conversationId);
    const conversation = await this.deps.conversations.findById(conversationId);
    if (!referral || !conversation) return { ok: false, reason: 'not_found' };
    const result = await this.deps.referrals.transition({
      organisationId: referral.organisationId,
      referralId: referral.id,
      from: OPEN,
      to: 'cancelled',
      finish: true,
      conversationStatus: 'bot',
      conversationStatusFrom: ['human', 'queued'],
      event: { type: 'cancelled', actorUserId: null },
      ...(options.tellPerson === false ? {} : { notice: this.notice(conversation, 'handoff:cancelled') }),
      now: this.now(),
    });
    return this.finishTransition(result, 'cancelled');
  }

  private async transition(
    actor: Actor,
    referralId: string,
    change: string,
    options: Pick<TransitionInput, 'from' | 'to' | 'finish' | 'conversationStatus' | 'conversationStatusFrom'> & {
      data?: Record<string, unknown>;
      noticeKey?: string;
      anyoneWhenNew?: boolean;
    },
  ): Promise<ActionResult<StoredReferral>> {
    const conversation = await this.conversationOf(actor.organisationId, referralId);
    if (!conversation) return { ok: false, reason: 'not_found' };
    const current = await this.deps.referrals.findInOrganisation(actor.organisationId, referralId);
    if (!current) return { ok: false, reason: 'not_found' };
    const mayAnyone = actor.role === 'admin' || (options.anyoneWhenNew === true && current.status === 'new');
    const result = await this.deps.referrals.transition({
      organisationId: actor.organisationId,
      referralId,
      from: options.from,
      ...(mayAnyone ? {} : { assignee: actor.userId }),
      ...(options.to ? { to: options.to } : {}),
      ...(options.finish ? { finish: true } : {}),
      ...(options.conversationStatus ? { conversationStatus: options.conversationStatus } : {}),
      ...(options.conversationStatusFrom ? { conversationStatusFrom: options.conversationStatusFrom } : {}),
      event: { type: change, actorUserId: actor.userId, ...(options.data ? { data: options.data } : {}) },
      ...(options.noticeKey ? { notice: this.notice(conversation, options.noticeKey) } : {}),
      now: this.now(),
    });
    return this.finishTransition(result, change);
  }

  private finishTransition(result: Awaited<ReturnType<ReferralRepository['transition']>>, change: string): ActionResult<StoredReferral> {
    if (result.ok) {
      this.afterChange(result.referral, change, result.queued);
      return { ok: true, value: result.referral };
    }
    switch (result.reason) {
      case 'not_found':
        return { ok: false, reason: 'not_found' };
      case 'wrong_status':
        return { ok: false, reason: 'wrong_status', status: result.status };
      case 'not_assignee':
        return { ok: false, reason: 'not_assignee' };
      default: {
        const unreachable: never = result;
        throw new Error(`unknown transition result ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private async conversationOf(organisationId: string, referralId: string): Promise<StoredConversation | null> {
    const referral = await this.deps.referrals.findInOrganisation(organisationId, referralId);
    return referral ? this.deps.conversations.findById(referral.conversationId) : null;
  }

  private notice(conversation: StoredConversation, key: string, params?: Record<string, unknown>): OutboundForPerson {
    const text = this.deps.translatorFor(conversation.locale)(key, params);
    const payload: Omit<OutboxPayload, 'messageId' | 'seq'> = {
      kind: 'notice',
      text,
      key,
      ...(params ? { params } : {}),
      locale: conversation.locale,
      choices: [],
    };
    return { author: 'system', text, textKey: key, ...(params ? { textParams: params } : {}), locale: conversation.locale, payload };
  }

  /** `<key>_named` with the counsellor's display name when they have one: the person learns who joined. */
  private joinedNotice(conversation: StoredConversation, key: string, name: string | null): OutboundForPerson {
    return name ? this.notice(conversation, `${key}_named`, { name }) : this.notice(conversation, key);
  }

  /** A console user's display name, or null (none set, or unknown). */
  private async displayNameOf(userId: string): Promise<string | null> {
    return (await this.deps.referrals.displayNames([userId])).get(userId) ?? null;
  }

  private afterChange(referral: StoredReferral, change: string, queued: QueuedOutbound | null): void {
    this.deps.events.publish(this.updated(referral, change));
    if (queued?.outboxId) {
      this.deps.events.publish({
        type: 'outbox_enqueued',
        organisationId: referral.organisationId,
        conversationId: referral.conversationId,
        outboxId: queued.outboxId,
        channel: queued.channel,
      });
    }
  }

  private updated(referral: StoredReferral, change: string) {
    return {
      type: 'referral_updated' as const,
      organisationId: referral.organisationId,
      referralId: referral.id,
      conversationId: referral.conversationId,
      priority: referral.priority,
      status: referral.status,
      change,
      assignedUserId: referral.assignedUserId,
    };
  }
}

/**
 * The median of recent waits, rounded up to 5 minutes: rough on purpose, a promise to a person
 * in a hard situation must not be precise and wrong.
 */
export function estimateWait(waitsMs: readonly number[], minSamples: number): WaitEstimate {
  if (waitsMs.length < minSamples) return { kind: 'not_enough_data' };
  const sorted = [...waitsMs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { kind: 'estimate', minutes: Math.max(5, Math.ceil(median / 60_000 / 5) * 5), samples: sorted.length };
}

function queueNotice(queue: QueueInfo): { key: string; params?: Record<string, unknown> } {
  const position = queue.position ?? 1;
  if (!queue.office.open) {
    return queue.office.opensAt
      ? {
          key: 'handoff:queued_office_closed',
          params: { position, opensAt: queue.office.opensAt.toISOString(), formatParams: { opensAt: { timeZone: queue.timeZone } } },
        }
      : { key: 'handoff:queued_office_closed_unknown', params: { position } };
  }
  return queue.wait.kind === 'estimate'
    ? { key: 'handoff:queued', params: { position, minutes: queue.wait.minutes } }
    : { key: 'handoff:queued_no_estimate', params: { position } };
}

const registered = new WeakSet<I18n>();

/** `{{opensAt, when}}`: an ISO instant as weekday, date and time in the reader's language. */
function registerFormats(i18n: I18n): void {
  if (registered.has(i18n)) return;
  registered.add(i18n);
  i18n.services.formatter?.add('when', (value: unknown, lng: string | undefined, options: Record<string, unknown>) => {
    const date = new Date(String(value));
    if (Number.isNaN(date.getTime())) return String(value);
    // i18next hands over `formatParams` unmerged in some versions: look in both places.
    const key = typeof options.interpolationkey === 'string' ? options.interpolationkey : '';
    const perValue = options.formatParams && typeof options.formatParams === 'object' ? (options.formatParams as Record<string, unknown>)[key] : undefined;
    const zone =
      typeof options.timeZone === 'string'
        ? options.timeZone
        : perValue && typeof perValue === 'object' && 'timeZone' in perValue
          ? perValue.timeZone
          : undefined;
    const timeZone = typeof zone === 'string' ? zone : 'UTC';
    return new Intl.DateTimeFormat(lng ?? 'en', {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
      timeZoneName: 'short',
    }).format(date);
  });
}
