/**
 * Allowed-origin rules of an organisation's widget: exact origins (`https://ngo.example`) or a
 * scheme and host with any port (`http://localhost:*`). Fails closed: an organisation whose admin
 * has added no site yet gets `fallback` (the server's own origin, see `defaultOriginRules`),
 * never "every origin".
 *
 * @example
 * originAllowed('http://localhost:5173', ['http://localhost:*']) // true
 * originAllowed('https://evil.example', ['https://ngo.example']) // false
 * originAllowed('https://ngo.example', [], ['https://homeward.example']) // false: no site added yet
 */
export function originAllowed(origin: string, rules: readonly string[], fallback: readonly string[] = []): boolean {
  const parsed = parseOrigin(origin);
  const effective = rules.length > 0 ? rules : fallback;
  return parsed !== null && effective.some((rule) => ruleMatches(rule, parsed));
}

/**
 * What an organisation without allowed sites may be used from: PUBLIC_URL's origin (the server's
 * own pages, e.g. the widget preview), and localhost on any port outside production.
 * @example defaultOriginRules({ mode: 'production', publicUrl: 'https://chat.ngo.example/' }) // ['https://chat.ngo.example']
 */
export function defaultOriginRules(config: { mode: 'development' | 'production' | 'test'; publicUrl?: string }): string[] {
  const rules = config.publicUrl && URL.canParse(config.publicUrl) ? [new URL(config.publicUrl).origin] : [];
  if (config.mode !== 'production') rules.push('http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*');
  return rules;
}

export interface RefusedOrigin {
  origin: string;
  lastSeen: Date;
  /** Refusals since the server started (or since the origin came back into the list). */
  count: number;
}

/** Distinct refused origins kept per organisation: a page full of junk origins cannot grow memory. */
export const refusedOriginsKept = 20;
const organisationsKept = 10_000;

/**
 * The organisations' origin rules with the server's fallback, and a short memory of the origins
 * refused per organisation, so an admin can see which site tried to use their widget (usually
 * their own site, not yet added). In this process's memory: each instance lists what it refused.
 */
export class OriginPolicy {
  private readonly refusals = new Map<string, Map<string, RefusedOrigin>>();

  constructor(
    /** Rules for an organisation whose list is empty (`defaultOriginRules`). */
    readonly fallback: readonly string[],
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Whether `organisation`'s widget may be used from `origin`; a refusal is remembered.
   * @example if (!policy.allows(origin, organisation)) throw new HttpError(403, 'this origin may not use the widget key');
   */
  allows(origin: string, organisation: { id: string; allowedOrigins: readonly string[] }): boolean {
    if (originAllowed(origin, organisation.allowedOrigins, this.fallback)) return true;
    this.remember(organisation.id, origin);
    return false;
  }

  /** Whether any of these organisations' rules allow `origin` (for CORS preflights, which carry no key). */
  allowedByAny(origin: string, ruleLists: readonly (readonly string[])[]): boolean {
    return originAllowed(origin, [], this.fallback) || ruleLists.some((rules) => originAllowed(origin, rules, this.fallback));
  }

  /** The organisation's recently refused origins, latest first. */
  refused(organisationId: string): RefusedOrigin[] {
    return [...(this.refusals.get(organisationId)?.values() ?? [])].reverse().map((entry) => ({ ...entry }));
  }

  private remember(organisationId: string, rawOrigin: string): void {
    // Only what a browser could send as an origin, shortened: the list is shown to an admin.
    const origin = rawOrigin.slice(0, 200);
    let list = this.refusals.get(organisationId);
    if (!list) {
      if (this.refusals.size >= organisationsKept) this.refusals.delete(this.refusals.keys().next().value ?? '');
      list = new Map();
      this.refusals.set(organisationId, list);
    }
    const previous = list.get(origin);
    // Deleted and set again: a Map keeps insertion order, so the last entry is the latest.
    list.delete(origin);
    list.set(origin, { origin, lastSeen: this.clock(), count: (previous?.count ?? 0) + 1 });
    if (list.size > refusedOriginsKept) list.delete(list.keys().next().value ?? '');
  }
}

function parseOrigin(value: string): URL | null {
  // `Origin: null` (sandboxed frames, file://) and anything with a path is not a web origin.
  if (!URL.canParse(value)) return null;
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.origin === value.toLowerCase().replace(/\/$/, '') ? url : null;
}

function ruleMatches(rule: string, origin: URL): boolean {
  if (rule.endsWith(':*')) {
    const base = rule.slice(0, -2);
    if (!URL.canParse(base)) return false;
    const url = new URL(base);
    return url.protocol === origin.protocol && url.hostname === origin.hostname;
  }
  return URL.canParse(rule) && new URL(rule).origin === origin.origin;
}
