import {
  referralRecordSchema,
  referralSnapshotSchema,
  type ReferralHistoryEntry,
  type ReferralNote,
  type ReferralRecord,
  type ReferralStatus,
} from './record.js';

/** A referral as the store holds it: the built snapshot plus its own columns and event rows. */
export interface StoredReferralView {
  id: string;
  organisationId: string;
  conversationId: string;
  status: ReferralStatus;
  record: unknown;
  assignedUserId: string | null;
  assignedDisplayName: string | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  events: readonly { type: string; actorUserId: string | null; data: unknown; createdAt: Date }[];
}

type HistoryData = NonNullable<ReferralHistoryEntry['data']>;

function historyData(data: unknown): HistoryData | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const entries = Object.entries(data).filter(
    (entry): entry is [string, string | number | boolean | null] => ['string', 'number', 'boolean'].includes(typeof entry[1]) || entry[1] === null,
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/**
 * The full record: the stored snapshot with status, assignment, history and notes. Notes are kept
 * as `note_added` events; their text appears under `notes` only, not in the history.
 */
export function composeRecord(view: StoredReferralView): ReferralRecord {
  const snapshot = referralSnapshotSchema.parse(view.record);
  const history: ReferralHistoryEntry[] = [];
  const notes: ReferralNote[] = [];
  for (const event of view.events) {
    const at = event.createdAt.toISOString();
    if (event.type === 'note_added') {
      const data = historyData(event.data);
      if (typeof data?.text === 'string') notes.push({ at, authorUserId: event.actorUserId, text: data.text });
      history.push({ type: event.type, at, actorUserId: event.actorUserId });
      continue;
    }
    const data = historyData(event.data);
    history.push({ type: event.type, at, actorUserId: event.actorUserId, ...(data ? { data } : {}) });
  }
  return referralRecordSchema.parse({
    ...snapshot,
    id: view.id,
    organisationId: view.organisationId,
    conversationId: view.conversationId,
    status: view.status,
    createdAt: view.createdAt.toISOString(),
    updatedAt: view.updatedAt.toISOString(),
    closedAt: view.closedAt?.toISOString() ?? null,
    assignment: view.assignedUserId ? { userId: view.assignedUserId, displayName: view.assignedDisplayName } : null,
    history,
    notes,
  });
}

/** The JSON export: exactly the record, valid against GET /schemas/referral.json. */
export function exportJson(record: ReferralRecord): string {
  return `${JSON.stringify(referralRecordSchema.parse(record), null, 2)}\n`;
}

/** Columns of the CSV export, one row per referral; lists are joined with "; ". */
export const CSV_COLUMNS = [
  'id',
  'status',
  'priority.level',
  'priority.cause',
  'handoffReason',
  'channel',
  'createdAt',
  'updatedAt',
  'closedAt',
  'assignment.userId',
  'who.pseudonym',
  'who.ageBand',
  'who.nationality',
  'who.returnCountry',
  'who.returnRegion',
  'who.languages',
  'where.hostCountry',
  'where.hostCity',
  'legalStatus',
  'asylumWithdrawn',
  'priorReturnAssistance',
  'household.adults',
  'household.minors',
  'household.minorAges',
  'household.unaccompaniedMinor',
  'vulnerabilities',
  'medicalNeeds',
  'wishes',
  'inTheirWords',
  'urgency.safetyConcern',
  'urgency.departureDeadline',
  'urgency.detained',
  'eligibility',
  'consent.given',
  'consent.scopes',
  'consent.noticeVersion',
  'consent.at',
  'notes',
] as const;

function pick(record: ReferralRecord, path: string): unknown {
  if (path === 'eligibility') return record.eligibility.map((item) => `${item.programme}: ${item.outcome}`);
  if (path === 'notes') return record.notes.map((note) => note.text);
  let value: unknown = record;
  for (const part of path.split('.')) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value;
}

/**
 * Spreadsheet programs run cells starting with = + - @ (and tab or carriage return) as formulas:
 * such cells get a leading apostrophe, so a person's typed text can never become a formula.
 */
export function csvCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : Array.isArray(value) ? value.map(String).join('; ') : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n;]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The CSV export (RFC 4180, CRLF line ends, header row first). */
export function exportCsv(records: readonly ReferralRecord[]): string {
  const lines = [CSV_COLUMNS.join(','), ...records.map((record) => CSV_COLUMNS.map((column) => csvCell(pick(record, column))).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
