import type { Case } from '../../eligibility/case.js';
import { evaluate, type ProgrammeResult } from '../../eligibility/evaluate.js';
import { componentNameKey, RESULT_KEYS } from '../../eligibility/keys.js';
import type { Component, Programme } from '../../eligibility/programme.js';
import { BUILTIN_REASON_KEYS, reason, type Reason } from '../../eligibility/reason.js';
import type { Translate } from '../../engine/types.js';

/*
 * The programme catalogue as an organisation's admin reads it: each programme's rules and amounts
 * in the words the bot uses with people (the eligibility texts), amounts formatted for the admin's
 * language, and the sources with the date they were checked. Pure: the routes pass the translator.
 */

export interface ViewLanguages {
  /** The admin's console language: amounts and country names. */
  lng: string;
  /** The language the eligibility texts are rendered in: the console language where it has them, else English. */
  textLng: string;
  /** A translator fixed to `textLng`. */
  t: Translate;
}

export interface MoneyView {
  amount: number;
  currency: string;
  /** e.g. "€1,000" in English, "1.000 €" in German. */
  text: string;
}

export interface ComponentView {
  kind: string;
  /** The component's name in the bot's words, e.g. "money to start again". */
  name: string;
  detail: string | null;
  per: 'person' | 'household';
  /** Null when no source we can cite gives a figure. */
  amount: MoneyView | null;
  /** Lower amounts for children under an age. */
  reductions: { ageUnder: number; amount: MoneyView }[];
  householdCap: MoneyView | null;
  /** Given only in some situations (the programme file's `onlyFor`/`notFor`); the evaluator decides per case. */
  conditional: boolean;
}

export interface ProgrammeView {
  id: string;
  /** Offered by this organisation. */
  active: boolean;
  name: string;
  summary: string;
  howToApply: string;
  hostCountry: string;
  hostCountryName: string;
  operator: string;
  sampleData: boolean;
  /** Who may apply, as the bot words it: the evaluator's own checks first, then the programme's rules. */
  rules: string[];
  /** Who may not. */
  exclusions: string[];
  /** Said to a person when it applies. */
  notes: string[];
  /** Nationalities that get the travel help only, named in the admin's language. */
  travelOnly: { text: string; countries: string[] } | null;
  assistance: ComponentView[];
  householdCap: MoneyView | null;
  sources: { title: string; url: string; checked: string; verified: boolean; note: string | null }[];
}

export interface TryResultView {
  programme: string;
  name: string;
  active: boolean;
  outcome: ProgrammeResult['outcome'];
  outcomeText: string;
  reasons: string[];
  /** Answers that would settle a possible eligibility, in the bot's words. */
  missing: string[];
  /**
   * `upTo` totals the components with a verified figure, null when none has one (never a made-up
   * "€0"); `unquantified` names the support that applies without a figure we can cite.
   */
  estimate: { upTo: MoneyView | null; components: { kind: string; name: string; upTo: MoneyView }[]; unquantified: { kind: string; name: string }[] } | null;
}

export function formatMoney(amount: number, currency: string, lng: string): MoneyView {
  const whole = Number.isInteger(amount);
  const text = new Intl.NumberFormat(lng, { style: 'currency', currency, minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: whole ? 0 : 2 }).format(
    amount,
  );
  return { amount, currency, text };
}

function countryName(code: string, lng: string): string {
  return new Intl.DisplayNames([lng], { type: 'region' }).of(code) ?? code;
}

const say = (t: Translate, r: Reason): string => t(r.key, r.params);

function componentView(component: Component, { lng, t }: ViewLanguages): ComponentView {
  const money = (value: number) => formatMoney(value, component.currency, lng);
  const { amount } = component;
  return {
    kind: component.kind,
    name: t(componentNameKey(component.kind)),
    detail: component.detailKey ? t(component.detailKey) : null,
    per: component.per,
    amount: amount === undefined ? null : money(amount),
    reductions:
      amount === undefined
        ? []
        : component.reductions.map((r) => ({ ageUnder: r.ageUnder, amount: money('factor' in r ? amount * r.factor : Math.min(r.amount, amount)) })),
    householdCap: component.householdCap === undefined ? null : money(component.householdCap),
    conditional: component.onlyFor !== undefined || component.notFor !== undefined,
  };
}

/** One programme as the catalogue page shows it. */
export function programmeView(programme: Programme, active: boolean, languages: ViewLanguages): ProgrammeView {
  const { lng, t } = languages;
  const currency = programme.assistance[0]?.currency ?? 'EUR';
  return {
    id: programme.id,
    active,
    name: t(programme.nameKey),
    summary: t(programme.summaryKey),
    howToApply: t(programme.howToApplyKey),
    hostCountry: programme.hostCountry,
    hostCountryName: countryName(programme.hostCountry, lng),
    operator: programme.operator,
    sampleData: programme.sampleData,
    // The same checks the evaluator makes for every programme (src/eligibility/evaluate.ts).
    rules: [
      say(t, reason(BUILTIN_REASON_KEYS.hostCountry, { country: programme.hostCountry })),
      say(t, reason(BUILTIN_REASON_KEYS.euCitizen)),
      ...programme.eligibility.map((rule) => t(rule.reasonKey)),
    ],
    exclusions: programme.exclusions.map((exclusion) => t(exclusion.reasonKey)),
    notes: programme.notes.map((note) => t(note.reasonKey)),
    travelOnly:
      programme.travelOnlyNationalities.length === 0
        ? null
        : { text: t(BUILTIN_REASON_KEYS.travelOnlyNationality), countries: programme.travelOnlyNationalities.map((code) => countryName(code, lng)) },
    assistance: programme.assistance.map((component) => componentView(component, languages)),
    householdCap: programme.householdCap === undefined ? null : formatMoney(programme.householdCap, currency, lng),
    sources: programme.sources.map((source) => ({
      title: source.title,
      url: source.url,
      checked: source.checked,
      verified: source.verified,
      note: source.note ?? null,
    })),
  };
}

/**
 * What the evaluator says about a case, programme by programme, with the reasons in the bot's words.
 * Every programme of the catalogue is evaluated (the inactive ones marked), so an admin can see
 * what turning one on would change. Departure deadlines are compared with `today` (YYYY-MM-DD).
 */
export function tryCase(
  c: Case,
  programmes: readonly Programme[],
  isActive: (id: string) => boolean,
  languages: ViewLanguages,
  today: string,
): TryResultView[] {
  const { lng, t } = languages;
  const names = new Map(programmes.map((programme) => [programme.id, t(programme.nameKey)]));
  return evaluate(c, programmes, { today }).map((result) => ({
    programme: result.programme,
    name: names.get(result.programme) ?? result.programme,
    active: isActive(result.programme),
    outcome: result.outcome,
    outcomeText: t(RESULT_KEYS.outcome[result.outcome]),
    reasons: result.reasons.map((r) => say(t, r)),
    missing: result.missing.map((field) => t(`eligibility:field.${field}`)),
    estimate: result.estimate && {
      upTo: result.estimate.components.length === 0 ? null : formatMoney(result.estimate.upTo, result.estimate.currency, lng),
      components: result.estimate.components.map((component) => ({
        kind: component.kind,
        name: t(componentNameKey(component.kind)),
        upTo: formatMoney(component.upTo, result.estimate?.currency ?? 'EUR', lng),
      })),
      unquantified: (result.estimate.unquantified ?? []).map((kind) => ({ kind, name: t(componentNameKey(kind)) })),
    },
  }));
}
