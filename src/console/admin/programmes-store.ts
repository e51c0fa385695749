import type { PrismaClient } from '../../store/generated/client.js';
import { isUuid } from '../../store/repositories/records.js';

/**
 * Which programmes of the catalogue an organisation does not offer (`Organisation.disabledProgrammes`;
 * empty means every programme is offered, so a programme added to the catalogue later is offered
 * until an admin turns it off).
 */
export interface ProgrammeSettingsStore {
  /** The ids the organisation turned off; empty for an unknown organisation. */
  disabledProgrammesOf(organisationId: string): Promise<string[]>;
  setDisabledProgrammes(organisationId: string, disabled: readonly string[]): Promise<void>;
}

export function createProgrammeSettingsStore(prisma: PrismaClient): ProgrammeSettingsStore {
  return {
    async disabledProgrammesOf(organisationId) {
      if (!isUuid(organisationId)) return [];
      const row = await prisma.organisation.findUnique({ where: { id: organisationId }, select: { disabledProgrammes: true } });
      return row?.disabledProgrammes ?? [];
    },
    async setDisabledProgrammes(organisationId, disabled) {
      await prisma.organisation.update({ where: { id: organisationId }, data: { disabledProgrammes: [...new Set(disabled)].sort() } });
    },
  };
}
