import { describe, expect, it } from 'vitest';
import { CaseSchema, type Case } from '../../src/eligibility/case.js';
import { loadCatalogue } from '../../src/eligibility/catalogue.js';
import { evaluate, evaluateProgramme, type Outcome } from '../../src/eligibility/evaluate.js';
import type { ComponentKind } from '../../src/eligibility/programme.js';

const { programmes, errors } = loadCatalogue('flows/programmes');
const byId = new Map(programmes.map((p) => [p.id, p]));

/** A single Afghan adult in Germany whose asylum claim was refused; rows change what they test. */
const base: Case = {
  hostCountry: 'DE',
  nationality: 'AF',
  returnCountry: 'AF',
  ageBand: '18-59',
  legalStatus: 'asylum_rejected',
  departureDeadline: '2027-01-15',
  household: { adults: 1, minors: 0, unaccompaniedMinor: false },
  vulnerabilities: [],
  priorReturnAssistance: 'no',
  detained: 'no',
  wishes: ['travel'],
};

const withCase = (changes: Partial<Case>, omit: (keyof Case)[] = []): Case => {
  const c: Case = { ...base, ...changes };
  for (const key of omit) delete c[key];
  return CaseSchema.parse(c);
};
const family = (adults: number, minorAges: number[]): Case['household'] => ({
  adults,
  minors: minorAges.length,
  minorAges,
  unaccompaniedMinor: false,
});
const minorAlone = { adults: 0, minors: 1, minorAges: [16], unaccompaniedMinor: true };

interface Row {
  name: string;
  programme: string;
  case: Case;
  outcome: Outcome;
  reasons: string[];
  missing?: string[];
  /** null: no estimate. */
  upTo?: number | null;
  components?: Partial<Record<ComponentKind, number>>;
  /** Kinds of support that apply without a verified figure. */
  unquantified?: ComponentKind[];
  capped?: boolean;
}

const r = (key: string): string => `eligibility:reason.${key}`;

const rows: Row[] = [
  // Germany, REAG/GARP
  {
    name: 'single rejected asylum seeker',
    programme: 'de-reag-garp',
    case: base,
    outcome: 'eligible',
    reasons: [r('status_reag_garp')],
    upTo: 1200,
    components: { travel: 200, reintegration_cash: 1000 },
    capped: false,
  },
  {
    name: 'family with children 4 and 9, under the cap',
    programme: 'de-reag-garp',
    case: withCase({ household: family(2, [4, 9]) }),
    outcome: 'eligible',
    reasons: [r('status_reag_garp')],
    upTo: 3600,
    components: { travel: 600, reintegration_cash: 3000 },
    capped: false,
  },
  {
    name: 'family with five children under 12: start-up help capped at 3,500 (REAG/GARP 2.0, frnrw.de)',
    programme: 'de-reag-garp',
    case: withCase({ household: family(2, [1, 3, 5, 7, 9]) }),
    outcome: 'eligible',
    reasons: [r('status_reag_garp'), r('cap_applied')],
    upTo: 4400,
    components: { travel: 900, reintegration_cash: 3500 },
    capped: true,
  },
  {
    name: 'visa-free national (Albania): the journey only, no travel allowance figure (returningfromgermany.de)',
    programme: 'de-reag-garp',
    case: withCase({ nationality: 'AL', returnCountry: 'AL' }),
    outcome: 'eligible',
    reasons: [r('status_reag_garp'), r('travel_only_nationality')],
    upTo: null,
  },
  {
    name: 'EU citizen who is a victim of trafficking is helped (Informationsblatt REAG/GARP 2023)',
    programme: 'de-reag-garp',
    case: withCase({ legalStatus: 'eu_citizen', nationality: 'RO', returnCountry: 'RO', vulnerabilities: ['trafficking_victim'] }),
    outcome: 'eligible',
    reasons: [r('status_reag_garp')],
    upTo: 1200,
  },
  {
    name: 'a return to an EU member state is not covered (Informationsblatt REAG/GARP 2023)',
    programme: 'de-reag-garp',
    case: withCase({ returnCountry: 'IT' }),
    outcome: 'not_eligible',
    reasons: [r('return_to_eu')],
    upTo: null,
  },
  {
    name: 'return country not known yet: not excluded for it',
    programme: 'de-reag-garp',
    case: withCase({ returnCountry: 'unknown' }),
    outcome: 'eligible',
    reasons: [r('status_reag_garp')],
    upTo: 1200,
  },
  {
    name: 'Dublin case: eligible if leaving before the transfer (returningfromgermany.de, REAG/GARP 2.0)',
    programme: 'de-reag-garp',
    case: withCase({ legalStatus: 'dublin' }),
    outcome: 'eligible',
    reasons: [r('status_reag_garp'), r('dublin_before_transfer')],
    upTo: 1200,
  },
  {
    name: 'temporary protection (§ 24 AufenthG, Informationsblatt 2023), Ukrainian: the journey only',
    programme: 'de-reag-garp',
    case: withCase({ legalStatus: 'temporary_protection', nationality: 'UA', returnCountry: 'UA' }),
    outcome: 'eligible',
    reasons: [r('status_reag_garp'), r('travel_only_nationality')],
    upTo: null,
  },
  {
    name: 'EU citizen by status',
    programme: 'de-reag-garp',
    case: withCase({ legalStatus: 'eu_citizen', nationality: 'FR' }),
    outcome: 'not_eligible',
    reasons: [r('eu_citizen'), r('status_reag_garp')],
    missing: [],
    upTo: null,
  },
  {
    name: 'EU national with an irregular stay',
    programme: 'de-reag-garp',
    case: withCase({ legalStatus: 'irregular', nationality: 'RO' }),
    outcome: 'not_eligible',
    reasons: [r('eu_citizen')],
    upTo: null,
  },
  {
    name: 'EU citizen by status, nationality not asked',
    programme: 'de-reag-garp',
    case: withCase({ legalStatus: 'eu_citizen' }, ['nationality']),
    outcome: 'not_eligible',
    reasons: [r('eu_citizen'), r('status_reag_garp')],
    upTo: null,
  },
  {
    name: 'in prison: excluded',
    programme: 'de-reag-garp',
    case: withCase({ detained: 'yes' }),
    outcome: 'not_eligible',
    reasons: [r('detained')],
    missing: [],
    upTo: null,
  },
  {
    name: 'detention unknown',
    programme: 'de-reag-garp',
    case: withCase({ detained: 'unknown' }),
    outcome: 'possibly_eligible',
    reasons: [r('detained')],
    missing: ['detained'],
    upTo: 1200,
  },
  {
    name: 'detention not asked yet',
    programme: 'de-reag-garp',
    case: withCase({}, ['detained']),
    outcome: 'possibly_eligible',
    reasons: [r('detained')],
    missing: ['detained'],
  },
  {
    name: 'status unknown, no vulnerabilities',
    programme: 'de-reag-garp',
    case: withCase({ legalStatus: 'unknown' }),
    outcome: 'possibly_eligible',
    reasons: [r('status_reag_garp')],
    missing: ['legalStatus'],
  },
  {
    name: 'status and vulnerabilities not asked',
    programme: 'de-reag-garp',
    case: withCase({}, ['legalStatus', 'vulnerabilities']),
    outcome: 'possibly_eligible',
    reasons: [r('status_reag_garp'), r('component_depends_on_answers')],
    missing: ['legalStatus', 'vulnerabilities'],
  },
  {
    name: 'trafficking victim with another status',
    programme: 'de-reag-garp',
    case: withCase({ legalStatus: 'other', vulnerabilities: ['trafficking_victim'] }),
    outcome: 'eligible',
    reasons: [r('status_reag_garp')],
    upTo: 1200,
  },
  {
    name: 'medical needs add medical care',
    programme: 'de-reag-garp',
    case: withCase({ vulnerabilities: ['medical_needs'] }),
    outcome: 'eligible',
    reasons: [r('status_reag_garp')],
    upTo: 3200,
    components: { travel: 200, medical: 2000, reintegration_cash: 1000 },
  },
  {
    name: 'vulnerabilities: prefer not to say',
    programme: 'de-reag-garp',
    case: withCase({ vulnerabilities: ['prefer_not_to_say'] }),
    outcome: 'eligible',
    reasons: [r('status_reag_garp'), r('component_depends_on_answers')],
    missing: [],
    upTo: 1200,
  },
  {
    name: 'household not asked: one person assumed',
    programme: 'de-reag-garp',
    case: withCase({}, ['household']),
    outcome: 'eligible',
    reasons: [r('status_reag_garp'), r('household_assumed_single')],
    upTo: 1200,
  },
  {
    name: 'minor alone, 16',
    programme: 'de-reag-garp',
    case: withCase({ ageBand: '16-17', household: minorAlone }),
    outcome: 'eligible',
    reasons: [r('status_reag_garp'), r('minor_with_guardian')],
    upTo: 600,
    components: { travel: 100, reintegration_cash: 500 },
  },
  { name: 'stateless person', programme: 'de-reag-garp', case: withCase({ nationality: 'stateless' }), outcome: 'eligible', reasons: [r('status_reag_garp')] },
  {
    name: 'nationality: prefer not to say',
    programme: 'de-reag-garp',
    case: withCase({ nationality: 'prefer_not_to_say' }),
    outcome: 'possibly_eligible',
    // The travel allowance and the start-up help both depend on the nationality: each is named.
    reasons: [r('eu_citizen'), r('component_depends_on_answers'), r('component_depends_on_answers')],
    missing: ['nationality'],
    upTo: null,
  },

  // Germany, StarthilfePlus
  // StarthilfePlus amounts were last published for 2017: the support is named, no figure is shown.
  {
    name: 'before the asylum decision: start-up help, no figure (2017 amounts outdated)',
    programme: 'de-starthilfeplus',
    case: withCase({ legalStatus: 'asylum_pending' }),
    outcome: 'eligible',
    reasons: [r('status_asylum_pending_or_rejected'), r('nationality_list'), r('withdraw_asylum')],
    upTo: 0,
    components: {},
    unquantified: ['reintegration_cash'],
  },
  {
    name: 'after rejection: start-up help, no figure',
    programme: 'de-starthilfeplus',
    case: base,
    outcome: 'eligible',
    reasons: [r('status_asylum_pending_or_rejected'), r('nationality_list'), r('within_departure_deadline')],
    upTo: 0,
    components: {},
    unquantified: ['reintegration_cash'],
  },
  {
    name: 'family of five after rejection gets the family supplement, no figure',
    programme: 'de-starthilfeplus',
    case: withCase({ household: family(2, [3, 8, 14]) }),
    outcome: 'eligible',
    reasons: [r('status_asylum_pending_or_rejected'), r('nationality_list'), r('within_departure_deadline')],
    upTo: 0,
    components: {},
    unquantified: ['reintegration_cash', 'family_supplement'],
  },
  {
    name: 'after rejection, departure deadline passed: level 2 ends (compared with today, fixed 2026-12-02)',
    programme: 'de-starthilfeplus',
    case: withCase({ departureDeadline: '2026-11-30' }),
    outcome: 'not_eligible',
    reasons: [r('deadline_passed')],
    upTo: null,
  },
  {
    name: 'after rejection, deadline still ahead: eligible',
    programme: 'de-starthilfeplus',
    case: withCase({ departureDeadline: '2026-12-02' }),
    outcome: 'eligible',
    reasons: [r('status_asylum_pending_or_rejected'), r('nationality_list'), r('within_departure_deadline')],
  },
  {
    name: 'after rejection, no deadline given: nothing has passed',
    programme: 'de-starthilfeplus',
    case: withCase({ departureDeadline: null }),
    outcome: 'eligible',
    reasons: [r('status_asylum_pending_or_rejected'), r('nationality_list'), r('within_departure_deadline')],
  },
  {
    name: 'after rejection, deadline unknown: possibly',
    programme: 'de-starthilfeplus',
    case: withCase({ departureDeadline: 'unknown' }),
    outcome: 'possibly_eligible',
    reasons: [r('deadline_passed'), r('within_departure_deadline')],
    missing: ['departureDeadline'],
  },
  {
    name: 'before the decision, a passed deadline does not matter',
    programme: 'de-starthilfeplus',
    case: withCase({ legalStatus: 'asylum_pending', departureDeadline: '2026-01-01' }),
    outcome: 'eligible',
    reasons: [r('status_asylum_pending_or_rejected'), r('nationality_list'), r('withdraw_asylum')],
  },
  {
    name: 'visa-free national not on the list',
    programme: 'de-starthilfeplus',
    case: withCase({ nationality: 'AL' }),
    outcome: 'not_eligible',
    reasons: [r('nationality_list')],
    upTo: null,
  },
  {
    name: 'prior return assistance received',
    programme: 'de-starthilfeplus',
    case: withCase({ priorReturnAssistance: 'yes' }),
    outcome: 'not_eligible',
    reasons: [r('prior_assistance')],
  },
  {
    name: 'prior assistance: prefer not to say',
    programme: 'de-starthilfeplus',
    case: withCase({ priorReturnAssistance: 'prefer_not_to_say' }),
    outcome: 'possibly_eligible',
    reasons: [r('prior_assistance'), r('within_departure_deadline')],
    missing: ['priorReturnAssistance'],
    upTo: 0,
  },
  {
    name: 'recognised refugee',
    programme: 'de-starthilfeplus',
    case: withCase({ legalStatus: 'refugee_status' }),
    outcome: 'not_eligible',
    reasons: [r('status_asylum_pending_or_rejected')],
  },
  {
    name: 'nationality not asked',
    programme: 'de-starthilfeplus',
    case: withCase({}, ['nationality']),
    outcome: 'possibly_eligible',
    reasons: [r('eu_citizen'), r('nationality_list'), r('within_departure_deadline')],
    missing: ['nationality'],
  },
  {
    name: 'stateless person not on the list',
    programme: 'de-starthilfeplus',
    case: withCase({ nationality: 'stateless' }),
    outcome: 'not_eligible',
    reasons: [r('nationality_list')],
  },

  // Netherlands (sample rules, no figures)
  { name: 'in Germany, not the Netherlands', programme: 'nl-return-support', case: base, outcome: 'not_eligible', reasons: [r('host_country')], upTo: null },
  {
    name: 'host country not asked',
    programme: 'nl-return-support',
    case: withCase({}, ['hostCountry']),
    outcome: 'possibly_eligible',
    reasons: [r('host_country')],
    missing: ['hostCountry'],
  },
  {
    name: 'detention does not exclude here',
    programme: 'nl-return-support',
    case: withCase({ hostCountry: 'NL', detained: 'yes' }),
    outcome: 'eligible',
    reasons: [r('status_asylum_or_no_permit')],
    upTo: 0,
    unquantified: ['travel', 'reintegration_in_kind'],
  },
  {
    name: 'prior assistance excludes',
    programme: 'nl-return-support',
    case: withCase({ hostCountry: 'NL', priorReturnAssistance: 'yes' }),
    outcome: 'not_eligible',
    reasons: [r('prior_assistance')],
  },
  {
    name: 'large family: no figure and no cap until the sources are verified',
    programme: 'nl-return-support',
    case: withCase({ hostCountry: 'NL', household: family(2, [1, 2, 3, 4]) }),
    outcome: 'eligible',
    reasons: [r('status_asylum_or_no_permit')],
    upTo: 0,
    components: {},
    unquantified: ['travel', 'reintegration_in_kind'],
    capped: false,
  },

  // Belgium (sample rules, no figures)
  {
    name: 'family with children: housing, supplement and in-kind help named, no figures',
    programme: 'be-voluntary-return',
    case: withCase({ hostCountry: 'BE', household: family(2, [4, 9]), vulnerabilities: ['family_with_children'] }),
    outcome: 'eligible',
    reasons: [r('status_third_country_national')],
    upTo: 0,
    components: {},
    unquantified: ['travel', 'pre_departure_cash', 'reintegration_in_kind', 'housing', 'family_supplement'],
    capped: false,
  },
  {
    name: 'visa-free national (Serbia) gets travel only',
    programme: 'be-voluntary-return',
    case: withCase({ hostCountry: 'BE', nationality: 'RS' }),
    outcome: 'eligible',
    reasons: [r('status_third_country_national'), r('travel_only_nationality')],
    upTo: 0,
    unquantified: ['travel'],
  },
  {
    name: 'in detention: excluded',
    programme: 'be-voluntary-return',
    case: withCase({ hostCountry: 'BE', detained: 'yes' }),
    outcome: 'not_eligible',
    reasons: [r('detained')],
  },

  // Austria (sample rules, no figures)
  {
    name: 'asylum pending, single',
    programme: 'at-return-assistance',
    case: withCase({ hostCountry: 'AT', legalStatus: 'asylum_pending' }),
    outcome: 'eligible',
    reasons: [r('status_asylum_or_no_permit'), r('withdraw_asylum')],
    upTo: 0,
    unquantified: ['travel', 'reintegration_cash'],
  },

  // France: service-public.fr F33974 (vérifié le 18 mars 2022), checked 2026-12-02
  {
    name: 'asylum claim the person drops: eligible (F33974)',
    programme: 'fr-return-aid',
    case: withCase({ hostCountry: 'FR', legalStatus: 'asylum_pending' }),
    outcome: 'eligible',
    reasons: [r('status_fr_return_aid'), r('six_months_residence'), r('withdraw_asylum')],
    upTo: 650,
    unquantified: ['reintegration_cash'],
  },
  {
    name: 'irregular stay: 650 EUR per person and a reintegration allowance without a figure (F33974)',
    programme: 'fr-return-aid',
    case: withCase({ hostCountry: 'FR', legalStatus: 'irregular', wishes: ['business'] }),
    outcome: 'eligible',
    reasons: [r('status_fr_return_aid'), r('six_months_residence')],
    upTo: 650,
    components: { pre_departure_cash: 650 },
    unquantified: ['reintegration_cash'],
  },
  {
    name: 'a family of three: 650 EUR per person, children too (F33974)',
    programme: 'fr-return-aid',
    case: withCase({ hostCountry: 'FR', household: family(2, [5]) }),
    outcome: 'eligible',
    reasons: [r('status_fr_return_aid'), r('six_months_residence')],
    upTo: 1950,
    components: { pre_departure_cash: 1950 },
  },
  {
    name: 'granted once only (F33974)',
    programme: 'fr-return-aid',
    case: withCase({ hostCountry: 'FR', priorReturnAssistance: 'yes' }),
    outcome: 'not_eligible',
    reasons: [r('prior_assistance')],
  },
  {
    name: 'the return is to the country of origin, not to an EU country (F33974)',
    programme: 'fr-return-aid',
    case: withCase({ hostCountry: 'FR', returnCountry: 'ES' }),
    outcome: 'not_eligible',
    reasons: [r('return_to_eu')],
  },
  {
    name: 'recognised refugee: not this programme (F33974)',
    programme: 'fr-return-aid',
    case: withCase({ hostCountry: 'FR', legalStatus: 'refugee_status' }),
    outcome: 'not_eligible',
    reasons: [r('status_fr_return_aid')],
  },
];

describe('evaluate: shipped catalogue', () => {
  it('loads without errors', () => {
    expect(errors).toEqual([]);
  });

  it.each(rows)('$programme: $name', (row) => {
    const programme = byId.get(row.programme);
    if (programme === undefined) throw new Error(`no programme ${row.programme}`);
    const result = evaluateProgramme(row.case, programme, { today: '2026-12-02' });

    expect(result.programme).toBe(row.programme);
    expect(result.outcome).toBe(row.outcome);
    expect(result.reasons.map((x) => x.key)).toEqual(row.reasons);
    if (row.missing !== undefined) expect(result.missing).toEqual(row.missing);
    if (row.outcome !== 'possibly_eligible') expect(result.missing).toEqual([]);
    if (row.outcome === 'not_eligible') expect(result.estimate).toBeNull();
    if (row.upTo === null) expect(result.estimate).toBeNull();
    if (typeof row.upTo === 'number') {
      expect(result.estimate?.upTo).toBe(row.upTo);
      expect(result.estimate?.toBeConfirmed).toBe(true);
      expect(result.estimate?.currency).toBe('EUR');
    }
    if (row.components !== undefined) {
      expect(Object.fromEntries(result.estimate?.components.map((c) => [c.kind, c.upTo]) ?? [])).toEqual(row.components);
    }
    if (row.unquantified !== undefined) expect(result.estimate?.unquantified).toEqual(row.unquantified);
    if (row.capped !== undefined) expect(result.estimate?.capped).toBe(row.capped);
  });
});

describe('evaluate: details', () => {
  const reag = byId.get('de-reag-garp');
  const shp = byId.get('de-starthilfeplus');
  if (reag === undefined || shp === undefined) throw new Error('German sample programmes missing');

  it('returns one result per programme, in catalogue order', () => {
    const results = evaluate(base, programmes);
    expect(results.map((x) => x.programme)).toEqual(programmes.map((p) => p.id));
  });

  it('is deterministic', () => {
    const c = withCase({ household: family(2, [1, 3, 5, 7, 9]) });
    expect(evaluate(c, programmes)).toEqual(evaluate(structuredClone(c), programmes));
  });

  it('names the host country, the travel-only nationality and the cap in params', () => {
    expect(evaluateProgramme(base, byId.get('nl-return-support') ?? reag).reasons).toEqual([{ key: r('host_country'), params: { country: 'NL' } }]);
    const albanian = evaluateProgramme(withCase({ nationality: 'AL' }), reag);
    expect(albanian.reasons[1]).toEqual({ key: r('travel_only_nationality'), params: { nationality: 'AL' } });
    const bigFamily = evaluateProgramme(withCase({ household: family(2, [1, 3, 5, 7, 9]) }), reag);
    expect(bigFamily.reasons[1]).toEqual({
      key: r('cap_applied'),
      params: { component: 'reintegration_cash', cap: 3500, currency: 'EUR' },
    });
  });

  it('states how many children were counted at the child rate', () => {
    const result = evaluateProgramme(withCase({ legalStatus: 'asylum_pending', household: { adults: 1, minors: 2 } }), reag);
    expect(result.reasons.at(-1)).toEqual({ key: r('child_ages_assumed'), params: { count: 2 } });
  });

  it('evaluates other host countries as if the person were there when asked to', () => {
    const nl = byId.get('nl-return-support') ?? reag;
    expect(evaluateProgramme(base, nl, { ignoreHostCountry: true }).outcome).toBe('eligible');
  });

  it('an empty case is possibly eligible for an open programme and names what to ask', () => {
    const result = evaluateProgramme({}, reag);
    expect(result.outcome).toBe('possibly_eligible');
    expect(result.missing).toEqual(['hostCountry', 'nationality', 'legalStatus', 'vulnerabilities', 'detained']);
  });
});
