import type { Case } from './case.js';
import { both, decide, negate, type Decision, type DecisionContext } from './decide.js';
import { travellersOf, type Travellers } from './household.js';
import type { Component, ComponentKind, Programme } from './programme.js';
import { BUILTIN_REASON_KEYS as K, reason, type Reason } from './reason.js';

export interface Estimate {
  currency: string;
  upTo: number;
  /** Components with a verified figure; `upTo` is their total. */
  components: { kind: ComponentKind; upTo: number }[];
  /** Kinds of support that apply but have no figure we can cite: a counsellor says how much. */
  unquantified?: ComponentKind[];
  capped: boolean;
  /** Always true: only a counsellor can confirm an amount. */
  toBeConfirmed: true;
}

const round = (amount: number): number => Math.round(amount * 100) / 100;
const ALWAYS: Decision = { value: true, missing: [] };
const NEVER: Decision = { value: false, missing: [] };

type QuantifiedComponent = Component & { amount: number };

function personAmount(component: QuantifiedComponent, age: number | null): number {
  const reduced = (r: Component['reductions'][number]): number => ('factor' in r ? component.amount * r.factor : Math.min(r.amount, component.amount));
  if (age === null) {
    // Unknown age: count the lowest amount a child could get, so no figure is overstated.
    return Math.min(component.amount, ...component.reductions.map(reduced));
  }
  const applicable = component.reductions.filter((r) => age < r.ageUnder);
  return Math.min(component.amount, ...applicable.map(reduced));
}

function componentTotal(component: QuantifiedComponent, people: Travellers): number {
  if (component.per === 'household') return component.amount;
  const minors = people.minorAges.reduce<number>((sum, age) => sum + personAmount(component, age), 0);
  return people.adults * component.amount + minors;
}

function applies(component: Component, c: Case, travelOnly: Decision, at: DecisionContext): Decision {
  const onlyFor = component.onlyFor ? decide(component.onlyFor, c, at) : ALWAYS;
  const notFor = component.notFor ? negate(decide(component.notFor, c, at)) : ALWAYS;
  const nationality = component.kind === 'travel' ? ALWAYS : negate(travelOnly);
  return both(both(onlyFor, notFor), nationality);
}

const isQuantified = (component: Component): component is QuantifiedComponent => component.amount !== undefined;

/**
 * The most the household could receive from a programme, with caps applied. Components that depend
 * on answers not given yet are left out and named in the reasons; `null` when nothing applies.
 */
export function estimateAssistance(programme: Programme, c: Case, at: DecisionContext = {}): { estimate: Estimate | null; reasons: Reason[] } {
  const reasons: Reason[] = [];
  const people = travellersOf(c);
  const travelOnly = programme.travelOnlyNationalities.length > 0 ? decide({ field: 'nationality', in: programme.travelOnlyNationalities }, c) : NEVER;
  if (travelOnly.value === true) {
    reasons.push(reason(K.travelOnlyNationality, { nationality: c.nationality ?? '' }));
  }

  let capped = false;
  let usesChildAgeGuess = false;
  const components: Estimate['components'] = [];
  const unquantified: ComponentKind[] = [];
  for (const component of programme.assistance) {
    const decision = applies(component, c, travelOnly, at);
    if (decision.value === null) {
      reasons.push(reason(K.componentDependsOnAnswers, { component: component.kind }));
    }
    if (decision.value !== true) continue;
    if (!isQuantified(component)) {
      if (!unquantified.includes(component.kind)) unquantified.push(component.kind);
      continue;
    }
    let upTo = componentTotal(component, people);
    if (component.householdCap !== undefined && upTo > component.householdCap) {
      upTo = component.householdCap;
      capped = true;
      reasons.push(reason(K.capApplied, { component: component.kind, cap: component.householdCap, currency: component.currency }));
    }
    if (component.per === 'person' && component.reductions.length > 0 && people.minorAges.includes(null)) {
      usesChildAgeGuess = true;
    }
    components.push({ kind: component.kind, upTo: round(upTo) });
  }
  if (components.length === 0 && unquantified.length === 0) return { estimate: null, reasons };

  const currency = programme.assistance[0]?.currency ?? '';
  let upTo = components.reduce((sum, part) => sum + part.upTo, 0);
  if (programme.householdCap !== undefined && upTo > programme.householdCap) {
    upTo = programme.householdCap;
    capped = true;
    reasons.push(reason(K.householdCapApplied, { cap: programme.householdCap, currency }));
  }
  if (usesChildAgeGuess) {
    reasons.push(reason(K.childAgesAssumed, { count: people.minorAges.filter((a) => a === null).length }));
  }
  if (people.assumedSingle) reasons.push(reason(K.householdAssumedOne));
  return {
    estimate: { currency, upTo: round(upTo), components, ...(unquantified.length > 0 ? { unquantified } : {}), capped, toBeConfirmed: true },
    reasons,
  };
}
