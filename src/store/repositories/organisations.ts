import type { PrismaClient } from '../generated/client.js';
import { emergencyContactsSchema, sampleEmergencyContacts, type EmergencyContacts } from '../../handoff/emergency-contacts.js';
import { isUuid } from './records.js';

export interface OrganisationRecord {
  id: string;
  name: string;
  /** Public key carried by the widget's script tag. */
  widgetKey: string;
  defaultLocale: string;
  /** Origins allowed to use the widget key; empty means any origin. */
  allowedOrigins: string[];
  createdAt: Date;
}

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
  /** Every organisation's allowed origins, for answering CORS preflights before the caller is known. */
  listAllowedOrigins(): Promise<string[][]>;
  /** The stored emergency numbers per country, unvalidated (src/handoff/emergency-contacts.ts parses them); null for an unknown id. */
  emergencyContactsOf(id: string): Promise<unknown>;
  /** Replaces the organisation's emergency numbers (validate them first). */
  setEmergencyContacts(id: string, contacts: EmergencyContacts): Promise<void>;
}

export const demoOrganisation = {
  name: 'Demo organisation',
  widgetKey: 'demo',
  defaultLocale: 'en',
  // Any port: developers and tests run the demo page on ports other than 3000.
  allowedOrigins: ['http://localhost:*', 'http://127.0.0.1:*'],
} as const satisfies NewOrganisation;

const columns = { id: true, name: true, widgetKey: true, defaultLocale: true, allowedOrigins: true, createdAt: true } as const;

/** Organisations (the NGOs using Homeward). */
export function createOrganisationRepository(prisma: PrismaClient): OrganisationRepository {
  return new PrismaOrganisationRepository(prisma);
}

class PrismaOrganisationRepository implements OrganisationRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async findById(id: string): Promise<OrganisationRecord | null> {
    return isUuid(id) ? this.prisma.organisation.findUnique({ where: { id }, select: columns }) : null;
  }

  findByWidgetKey(widgetKey: string): Promise<OrganisationRecord | null> {
    return this.prisma.organisation.findUnique({ where: { widgetKey }, select: columns });
  }

  async findDefault(): Promise<OrganisationRecord | null> {
    return (
      (await this.findByWidgetKey(demoOrganisation.widgetKey)) ??
      this.prisma.organisation.findFirst({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: columns })
    );
  }

  create(input: NewOrganisation): Promise<OrganisationRecord> {
    return this.prisma.organisation.create({
      data: { ...input, allowedOrigins: input.allowedOrigins ? [...input.allowedOrigins] : [] },
      select: columns,
    });
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

  async listAllowedOrigins(): Promise<string[][]> {
    const rows = await this.prisma.organisation.findMany({ select: { allowedOrigins: true } });
    return rows.map((row) => row.allowedOrigins);
  }
}
