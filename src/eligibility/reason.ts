/** An explanation as an i18n key and its parameters, rendered in the person's language later. */
export interface Reason {
  key: string;
  params: Record<string, string | number>;
}

export const reason = (key: string, params: Reason['params'] = {}): Reason => ({ key, params });

/** Keys the evaluator itself may emit, besides those a programme file names. */
export const BUILTIN_REASON_KEYS = {
  hostCountry: 'eligibility:reason.host_country',
  euCitizen: 'eligibility:reason.eu_citizen',
  returnCountries: 'eligibility:reason.return_countries',
  travelOnlyNationality: 'eligibility:reason.travel_only_nationality',
  componentDependsOnAnswers: 'eligibility:reason.component_depends_on_answers',
  childAgesAssumed: 'eligibility:reason.child_ages_assumed',
  householdAssumedOne: 'eligibility:reason.household_assumed_single',
  capApplied: 'eligibility:reason.cap_applied',
  householdCapApplied: 'eligibility:reason.household_cap_applied',
} as const;

export function dedupeReasons(reasons: Reason[]): Reason[] {
  const seen = new Set<string>();
  return reasons.filter((r) => {
    const id = `${r.key}${JSON.stringify(r.params)}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
