// Where a text appears, for the reviewer's "where" column: a translator judges "Yes" differently as
// the answer to a consent question than as a button. Found by a grep-like scan, not by running
// anything: flow nodes that name the key (flows/**/*.yaml), and the source files under src/ that
// spell it out, or build it from a literal prefix (`eligibility:field.${field}`). Keys built any
// other way are "unknown", which the sheet shows as "—".
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';

/** `namespace:key` -> places, e.g. "flows/intake.yaml › consent" or "src/engine/answers/parse.ts". */
export type KeyUsage = ReadonlyMap<string, readonly string[]>;

/** i18next's context and plural suffixes: `intake.welcome_child` is used wherever `intake.welcome` is. */
const variantSuffix = /_(child|zero|one|two|few|many|other)$/;

/** The places that use `key` of `namespace` (a variant falls back to its base key), or an empty list. */
export function placesOf(usage: KeyUsage, namespace: string, key: string): readonly string[] {
  for (let candidate = key; ; ) {
    const direct = usage.get(`${namespace}:${candidate}`);
    if (direct) return direct;
    const prefixed = [...usage].filter(([name]) => name.endsWith('.*') && `${namespace}:${candidate}`.startsWith(name.slice(0, -1)));
    if (prefixed.length > 0) return [...new Set(prefixed.flatMap(([, places]) => places))];
    const stripped = candidate.replace(variantSuffix, '');
    if (stripped === candidate) return [];
    candidate = stripped;
  }
}

/**
 * Scans `root`/flows and `root`/src for the keys of `namespaces` (a key `ns:a.b`, or a prefix `ns:a.*`
 * when only the start of a built key is literal). `defaultNamespace` is the one a bare key in source belongs to.
 */
export function scanUsage(root: string, namespaces: readonly string[], defaultNamespace = 'system'): KeyUsage {
  const usage = new Map<string, string[]>();
  const add = (name: string, place: string) => {
    const places = usage.get(name) ?? [];
    if (!places.includes(place)) places.push(place);
    usage.set(name, places);
  };
  const known = new Set(namespaces);
  for (const file of filesUnder(join(root, 'flows'), '.yaml')) scanFlow(file, relative(root, file), known, add);
  for (const file of filesUnder(join(root, 'src'), '.ts')) scanSource(readFileSync(file, 'utf8'), relative(root, file), known, defaultNamespace, add);
  return usage;
}

function scanFlow(file: string, place: string, namespaces: ReadonlySet<string>, add: (name: string, place: string) => void): void {
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8'));
  } catch {
    return; // flows:check reports a broken flow; the sheet only loses a "where".
  }
  if (typeof document !== 'object' || document === null) return;
  const { namespace, nodes } = document as { namespace?: unknown; nodes?: unknown };
  const own = typeof namespace === 'string' ? namespace : undefined;
  const visit = (value: unknown, where: string) => {
    if (typeof value === 'string') {
      const name = keyName(value, namespaces, own);
      if (name) add(name, where);
    } else if (Array.isArray(value)) for (const item of value) visit(item, where);
    else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) visit(item, where);
  };
  // A flow's nodes are named, so the reviewer can find the question or message in the diagram.
  if (typeof nodes === 'object' && nodes !== null) {
    for (const [id, node] of Object.entries(nodes)) visit(node, `${place} › ${id}`);
    visit({ ...document, nodes: undefined }, place);
  } else visit(document, place);
}

/** `ns:key`, or a bare `key` in a flow's own namespace; only dotted or prefixed names, so plain words are not taken for keys. */
function keyName(text: string, namespaces: ReadonlySet<string>, own: string | undefined): string | undefined {
  const match = /^(?:([a-z]+):)?([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)$/.exec(text);
  if (!match) return undefined;
  const [, namespace, key = ''] = match;
  if (namespace !== undefined) return namespaces.has(namespace) ? `${namespace}:${key}` : undefined;
  return own !== undefined && key.includes('.') ? `${own}:${key}` : undefined;
}

function scanSource(text: string, place: string, namespaces: ReadonlySet<string>, defaultNamespace: string, add: (name: string, place: string) => void): void {
  // Code in a folder named after a namespace (channels/web/widget/) names that namespace's keys bare: t('send').
  const folderNamespace = place.split('/').find((segment) => segment !== defaultNamespace && namespaces.has(segment));
  // A quoted key, or the literal start of a template literal (`ns:a.${x}`), which stands for every key under it.
  for (const match of text.matchAll(/['"`](?:([a-z]+):)?([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)(\.\$\{|['"`])/g)) {
    const [, namespace, key = '', end] = match;
    const ns = namespace ?? folderNamespace ?? defaultNamespace;
    if (!namespaces.has(ns)) continue;
    // A bare word ('yes') is too common to mean a key elsewhere; a bare dotted name in the default namespace may.
    if (namespace === undefined && folderNamespace === undefined && !key.includes('.')) continue;
    add(end === '.${' ? `${ns}:${key}.*` : `${ns}:${key}`, place);
  }
}

function filesUnder(dir: string, extension: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  // Prisma's generated client is nobody's text.
  return entries
    .filter((name) => name.endsWith(extension) && !name.includes('generated'))
    .map((name) => join(dir, name))
    .sort();
}
