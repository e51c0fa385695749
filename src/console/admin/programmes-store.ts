import type { OrganisationRepository } from '../../store/repositories/organisations.js';

/**
 * Which programmes of the catalogue an organisation does not offer (`Organisation.disabledProgrammes`;
 * empty means every programme is offered, so a programme added to the catalogue later is offered
 * until an admin turns it off). Kept on the organisation record, so the organisation repository's
 * cache serves the turn's read and its writes refresh that cache.
 */
export interface ProgrammeSettingsStore {
  /** The ids the organisation turned off; empty for an unknown organisation. */
  disabledProgrammesOf(organisationId: string): Promise<string[]>;
  setDisabledProgrammes(organisationId: string, disabled: readonly string[]): Promise<void>;
}

export function createProgrammeSettingsStore(organisations: OrganisationRepository): ProgrammeSettingsStore {
  return {
    async disabledProgrammesOf(organisationId) {
      return [...((await organisations.findById(organisationId))?.disabledProgrammes ?? [])];
    },
    setDisabledProgrammes: (organisationId, disabled) => organisations.setDisabledProgrammes(organisationId, disabled),
  };
}
