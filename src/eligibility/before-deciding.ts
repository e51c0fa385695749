import type { Case } from './case.js';

/**
 * What a person should know before any amount (issue 16, "balanced before money"): what withdrawing
 * an asylum application means, that a protection status may end on return, and that free advice
 * independent of return programmes exists, with where to find it in the host country where we
 * could check it. Each statement is a fact shown to people, so each names its sources and the
 * date they were checked (stored copies; `published` is the page's own date where it gives one).
 * Where no source could be checked for a host country, the generic line says a counsellor can
 * tell where free advice is; no organisation is named.
 */
interface Source {
  title: string;
  url: string;
  checked: string;
  published?: string;
}

interface Statement {
  key: string;
  sources: readonly Source[];
}

const k = (name: string): string => `eligibility:before.${name}`;

export const BEFORE_DECIDING = {
  withdrawAsylum: {
    key: k('withdraw_asylum'),
    sources: [
      {
        title: 'EUAA Legal Support Assistance: information provision, withdrawal of the application (Art. 27 APD recast)',
        url: 'https://lsa.euaa.europa.eu/thematic-areas/asylum-procedure/making-registration-lodging/information-provision-topics/withdraw',
        checked: '2026-12-03',
      },
    ],
  },
  protectionMayEnd: {
    key: k('protection_may_end'),
    sources: [
      {
        title: 'Refugee Rights Toolkit: cessation, Article 1C of the 1951 Refugee Convention (voluntary re-establishment in the country left)',
        url: 'https://refugeerightstoolkit.org/advocate/refugee-rights-law-the-building-blocks/the-right-to-seek-asylum/cessation/',
        checked: '2026-12-03',
      },
    ],
  },
  freeAdvice: { key: k('free_advice'), sources: [] },
  freeAdviceDE: {
    key: k('free_advice_where.DE'),
    sources: [
      {
        title: 'BAGFW: federally funded, independent asylum procedure counselling (§ 12a Asylgesetz)',
        url: 'https://www.bagfw.de/veroeffentlichungen/stellungnahmen/positionen/detail/bundesgefoerderte-qualifizierte-und-behoerdenunabhaengige-asylverfahrensberatung-12a-asylgesetz',
        checked: '2026-12-03',
      },
    ],
  },
  freeAdviceNL: {
    key: k('free_advice_where.NL'),
    sources: [
      {
        title: 'VluchtelingenWerk Nederland: support in every phase of the asylum procedure',
        url: 'https://www.vluchtelingenwerk.nl/wat-wij-doen/begeleiding-van-asielzoekers',
        checked: '2026-12-03',
      },
      {
        title: 'De Stentor: Het Juridisch Loket gives free legal help to people on a low income',
        url: 'https://www.destentor.nl/zwolle/kleine-vergissing-met-enorme-gevolgen-aan-deze-balie-in-zwolle-horen-ze-elke-dag-aangrijpende-verhalen~a1932c27/',
        checked: '2026-12-03',
        published: '2023-02',
      },
    ],
  },
  freeAdviceElsewhere: { key: k('free_advice_where.other'), sources: [] },
} as const satisfies Record<string, Statement>;

/** Host countries whose free-advice line names where to go (each with a checked source above). */
const ADVICE_WHERE: Readonly<Partial<Record<string, Statement>>> = { DE: BEFORE_DECIDING.freeAdviceDE, NL: BEFORE_DECIDING.freeAdviceNL };

/** Statuses that are a protection a return may end: refugee (or subsidiary) status and temporary protection. */
const PROTECTION_STATUSES: ReadonlySet<string> = new Set(['refugee_status', 'temporary_protection']);

export const BEFORE_DECIDING_KEYS: readonly string[] = Object.values(BEFORE_DECIDING).map((statement: Statement) => statement.key);

/** The lines for this case, in order: the asylum withdrawal, a protection status, free advice and where. */
export function beforeDeciding(c: Case): { key: string }[] {
  const lines: { key: string }[] = [];
  if (c.legalStatus === 'asylum_pending' && c.asylumWithdrawn !== 'yes') lines.push({ key: BEFORE_DECIDING.withdrawAsylum.key });
  if (c.legalStatus !== undefined && PROTECTION_STATUSES.has(c.legalStatus)) lines.push({ key: BEFORE_DECIDING.protectionMayEnd.key });
  lines.push({ key: BEFORE_DECIDING.freeAdvice.key });
  lines.push({ key: (ADVICE_WHERE[c.hostCountry ?? ''] ?? BEFORE_DECIDING.freeAdviceElsewhere).key });
  return lines;
}
