import { Prisma, type PrismaClient } from '../generated/client.js';
import { emergencyContactsSchema, sampleEmergencyContacts, type EmergencyContacts } from '../../safety/emergency-numbers.js';
import { rawRows } from './raw-rows.js';
import { isUuid, toJsonInput } from './records.js';

export interface OrganisationRecord {
  id: string;
  name: string;
  /** Public key carried by the widget's script tag. */
  widgetKey: string;
  defaultLocale: string;
  /** Origins allowed to use the widget key; empty means any origin. */
  allowedOrigins: string[];
  /** Stored unvalidated; src/channels/web/widget/look.ts reads it. */
  widgetLook?: unknown;
  /** Programmes of the catalogue the organisation does not offer (on the cached record: a turn asks at no cost). */
  disabledProgrammes: string[];
  /** Draft client languages are not offered to new people (on the cached record: every turn and widget config asks). */
  hideDraftLanguages: boolean;
  createdAt: Date;
}

/** What the organisation settings page edits, as stored (JSON columns unvalidated). */
export interface OrganisationSettingsRecord {
  name: string;
  widgetKey: string;
  defaultLocale: string;
  timeZone: string;
  officeHours: unknown;
  emergencyContacts: unknown;
  retentionClosedDays: number;
  retentionIdleDays: number;
  allowedOrigins: string[];
  widgetLook: unknown;
  telegramBotUsername: string | null;
  /** Minutes of waiting after which the console's queue marks a referral amber, and red. */
  waitAmberMinutes: number;
  waitRedMinutes: number;
  /** Whether client languages still marked "draft" in their meta.json are left out of what people are offered. */
  hideDraftLanguages: boolean;
}

/** A validated change of settings (src/console/admin/organisation-settings.ts); absent fields stay. */
export type OrganisationSettingsUpdate = Partial<Omit<OrganisationSettingsRecord, 'widgetKey'>>;

export interface NewOrganisation {
  name: string;
  widgetKey: string;
  defaultLocale?: string;
  allowedOrigins?: string[];
}

export interface OrganisationRepository {
  findById(id: string): Promise<OrganisationRecord | null>;
  findByWidgetKey(widgetKey: string): Promise<OrganisationRecord | null>;
  /** The organisation a channel falls back to when nothing names one: the demo one, else the oldest. */
  findDefault(): Promise<OrganisationRecord | null>;
  create(input: NewOrganisation): Promise<OrganisationRecord>;
  /** The organisation behind widget key "demo", created on first call; later calls only bring its allowed origins up to date. */
  ensureDemoOrganisation(): Promise<OrganisationRecord>;
  /**
   * Every organisation's allowed origins, for answering CORS preflights before the caller is known.
   * Cached: a change through this repository shows at once; one made by another instance within
   * `allowedOriginsTtlMs`.
   */
  listAllowedOrigins(): Promise<string[][]>;
  /** The organisation's editable settings; null for an unknown id. */
  settingsOf(id: string): Promise<OrganisationSettingsRecord | null>;
  /** Stores validated settings; false for an unknown id. */
  updateSettings(id: string, update: OrganisationSettingsUpdate): Promise<boolean>;
  /** The stored emergency numbers per country, unvalidated (src/safety/emergency-numbers.ts parses them); null for an unknown id. */
  emergencyContactsOf(id: string): Promise<unknown>;
  /** Replaces the organisation's emergency numbers (validate them first). */
  setEmergencyContacts(id: string, contacts: EmergencyContacts): Promise<void>;
  /**
   * The programmes of the catalogue the organisation turned off; empty for an unknown id. Empty
   * means every programme is offered, so one added to the catalogue later is offered until an
   * admin turns it off. Served by the record cache, which this repository's writes refresh.
   */
  disabledProgrammesOf(id: string): Promise<string[]>;
  /** Sets which programmes of the catalogue the organisation does not offer (ids checked by the caller). */
  setDisabledProgrammes(id: string, disabled: readonly string[]): Promise<void>;
}

export const demoOrganisation = {
  name: 'Demo organisation',
  widgetKey: 'demo',
  defaultLocale: 'en',
  // Any port: developers and tests run the demo page on ports other than 3000.
  allowedOrigins: ['http://localhost:*', 'http://127.0.0.1:*'],
} as const satisfies NewOrganisation;

const columns = {
  id: true,
  name: true,
  widgetKey: true,
  defaultLocale: true,
  allowedOrigins: true,
  widgetLook: true,
  disabledProgrammes: true,
  hideDraftLanguages: true,
  createdAt: true,
} as const;
/** The same columns for the plain-SQL reads. */
const recordColumns = Object.keys(columns)
  .map((column) => `"${column}"`)
  .join(', ');
const settingsColumns = {
  name: true,
  widgetKey: true,
  defaultLocale: true,
  timeZone: true,
  officeHours: true,
  emergencyContacts: true,
  retentionClosedDays: true,
  retentionIdleDays: true,
  allowedOrigins: true,
  widgetLook: true,
  telegramBotUsername: true,
  waitAmberMinutes: true,
  waitRedMinutes: true,
  hideDraftLanguages: true,
} as const;

/**
 * How long another instance's change of allowed origins may take to reach this one's CORS answers.
 * Within one instance a change clears the cache at once; across instances nothing tells us, so the
 * cache is short (a preflight per request to the database would be the alternative).
 */
export const allowedOriginsTtlMs = 5_000;
/**
 * The same bound for organisation records (name, widget key, default language, origins, look,
 * offered programmes), read on every Direct Line request: a change made through this instance
 * shows at once, one made by another instance (or the CLI) within this time.
 */
export const organisationCacheTtlMs = allowedOriginsTtlMs;

/** Organisations (the NGOs using Homeward). */
export function createOrganisationRepository(prisma: PrismaClient, options: { now?: () => number } = {}): OrganisationRepository {
  return new PrismaOrganisationRepository(prisma, options.now ?? Date.now);
}

class PrismaOrganisationRepository implements OrganisationRepository {
  private originsCache: { at: number; rules: Promise<string[][]> } | undefined;
  private readonly records = new Map<string, { at: number; record: Promise<OrganisationRecord | null> }>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly now: () => number,
  ) {}

  // Every Direct Line request reads its organisation: cached briefly, read with plain SQL
  // (src/store/repositories/raw-rows.ts says why).
  findById(id: string): Promise<OrganisationRecord | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.cached(`id:${id}`, () => this.readRecord(`"id" = $1::uuid`, id));
  }

  findByWidgetKey(widgetKey: string): Promise<OrganisationRecord | null> {
    return this.cached(`key:${widgetKey}`, () => this.readRecord(`"widgetKey" = $1`, widgetKey));
  }

  private async readRecord(condition: string, value: string): Promise<OrganisationRecord | null> {
    const [row] = await rawRows<OrganisationRecord>(
      this.prisma,
      `SELECT row_to_json(o)::text AS "row" FROM (SELECT ${recordColumns} FROM "Organisation" WHERE ${condition}) o`,
      [value],
      ['createdAt'],
    );
    return row ?? null;
  }

  /** The same record for `organisationCacheTtlMs`; a failed read is not kept. */
  private cached(key: string, read: () => Promise<OrganisationRecord | null>): Promise<OrganisationRecord | null> {
    const now = this.now();
    const hit = this.records.get(key);
    if (hit && now - hit.at <= organisationCacheTtlMs) return hit.record;
    const record = read();
    const entry = { at: now, record };
    this.records.set(key, entry);
    record.catch(() => {
      if (this.records.get(key) === entry) this.records.delete(key);
    });
    return record;
  }

  /** After every write: this instance sees its own changes at once. */
  private forgetCached(): void {
    this.records.clear();
    this.originsCache = undefined;
  }

  async findDefault(): Promise<OrganisationRecord | null> {
    return (
      (await this.findByWidgetKey(demoOrganisation.widgetKey)) ??
      this.prisma.organisation.findFirst({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: columns })
    );
  }

  async create(input: NewOrganisation): Promise<OrganisationRecord> {
    const created = await this.prisma.organisation.create({
      data: { ...input, allowedOrigins: input.allowedOrigins ? [...input.allowedOrigins] : [] },
      select: columns,
    });
    this.forgetCached();
    return created;
  }

  async ensureDemoOrganisation(): Promise<OrganisationRecord> {
    // ON CONFLICT DO NOTHING: safe when two instances start at once.
    await this.prisma.organisation.createMany({
      data: [{ ...demoOrganisation, allowedOrigins: [...demoOrganisation.allowedOrigins], emergencyContacts: sampleEmergencyContacts }],
      skipDuplicates: true,
    });
    // A demo created before emergency contacts existed gets the samples; numbers someone set are kept.
    await this.prisma.organisation.updateMany({
      where: { widgetKey: demoOrganisation.widgetKey, emergencyContacts: { equals: {} } },
      data: { emergencyContacts: sampleEmergencyContacts },
    });
    // Databases seeded by older versions carry older origins; the demo's origins are code, not settings.
    await this.prisma.organisation.updateMany({
      where: { widgetKey: demoOrganisation.widgetKey },
      data: { allowedOrigins: [...demoOrganisation.allowedOrigins] },
    });
    this.forgetCached();
    const demo = await this.findByWidgetKey(demoOrganisation.widgetKey);
    if (!demo) throw new Error('the demo organisation vanished right after it was created');
    return demo;
  }

  async emergencyContactsOf(id: string): Promise<unknown> {
    if (!isUuid(id)) return null;
    return (await this.prisma.organisation.findUnique({ where: { id }, select: { emergencyContacts: true } }))?.emergencyContacts ?? null;
  }

  async setEmergencyContacts(id: string, contacts: EmergencyContacts): Promise<void> {
    if (!isUuid(id)) return;
    await this.prisma.organisation.update({ where: { id }, data: { emergencyContacts: emergencyContactsSchema.parse(contacts) } });
  }

  async disabledProgrammesOf(id: string): Promise<string[]> {
    return [...((await this.findById(id))?.disabledProgrammes ?? [])];
  }

  async setDisabledProgrammes(id: string, disabled: readonly string[]): Promise<void> {
    if (!isUuid(id)) return;
    await this.prisma.organisation.update({ where: { id }, data: { disabledProgrammes: [...new Set(disabled)].sort() } });
    this.forgetCached();
  }

  async listAllowedOrigins(): Promise<string[][]> {
    const now = this.now();
    if (!this.originsCache || now - this.originsCache.at > allowedOriginsTtlMs) {
      const rules = this.prisma.organisation.findMany({ select: { allowedOrigins: true } }).then((rows) => rows.map((row) => row.allowedOrigins));
      const entry = { at: now, rules };
      this.originsCache = entry;
      // A failed read is not kept: the next request asks the database again.
      rules.catch(() => {
        if (this.originsCache === entry) this.originsCache = undefined;
      });
    }
    return this.originsCache.rules;
  }

  async settingsOf(id: string): Promise<OrganisationSettingsRecord | null> {
    return isUuid(id) ? this.prisma.organisation.findUnique({ where: { id }, select: settingsColumns }) : null;
  }

  async updateSettings(id: string, update: OrganisationSettingsUpdate): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { officeHours, emergencyContacts, widgetLook, allowedOrigins, ...plain } = update;
    const { count } = await this.prisma.organisation.updateMany({
      where: { id },
      data: {
        ...plain,
        ...(allowedOrigins !== undefined ? { allowedOrigins: [...allowedOrigins] } : {}),
        // null office hours mean "the default week" and are stored as SQL NULL.
        ...(officeHours !== undefined ? { officeHours: officeHours === null ? Prisma.DbNull : toJsonInput(officeHours) } : {}),
        ...(emergencyContacts !== undefined ? { emergencyContacts: toJsonInput(emergencyContacts) } : {}),
        ...(widgetLook !== undefined ? { widgetLook: toJsonInput(widgetLook) } : {}),
      },
    });
    // After the write, so a request in between cannot cache the old values again for the TTL.
    this.forgetCached();
    return count > 0;
  }
}
