/**
 * Allowed-origin rules of an organisation's widget: exact origins (`https://ngo.example`) or a
 * scheme and host with any port (`http://localhost:*`). An empty list allows every origin.
 *
 * @example
 * originAllowed('http://localhost:5173', ['http://localhost:*']) // true
 * originAllowed('https://evil.example', ['https://ngo.example']) // false
 */
export function originAllowed(origin: string, rules: readonly string[]): boolean {
  if (rules.length === 0) return true;
  const parsed = parseOrigin(origin);
  return parsed !== null && rules.some((rule) => ruleMatches(rule, parsed));
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
