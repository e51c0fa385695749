// Reading and writing `locales/<lng>/*.json` for the review: a reviewed text replaces the old one in
// place, so the key order and the 2-space formatting stay as the files have them and a review's
// diff shows only the texts that changed.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { staffNamespaces } from '../completeness.js';
import { localeMetaSchema, type LocaleMeta } from '../index.js';
import type { NamespaceTrees } from './sheet.js';

const metaFile = 'meta.json';

/** The namespaces the base language has, client ones first in name order; staff ones (console) only when asked for. */
export function reviewNamespaces(localesDir: string, base: string, withStaff: boolean): string[] {
  const all = readdirSync(join(localesDir, base))
    .filter((name) => name.endsWith('.json') && name !== metaFile)
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
  return [...all.filter((ns) => !staffNamespaces.has(ns)), ...(withStaff ? all.filter((ns) => staffNamespaces.has(ns)) : [])];
}

/** Each namespace's tree; a file the language does not have yet reads as empty. */
export function readTrees(localesDir: string, locale: string, namespaces: readonly string[]): Record<string, Record<string, unknown>> {
  const trees: Record<string, Record<string, unknown>> = {};
  for (const ns of namespaces) {
    const file = join(localesDir, locale, `${ns}.json`);
    trees[ns] = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  }
  return trees;
}

export function readMeta(localesDir: string, locale: string): LocaleMeta | undefined {
  const file = join(localesDir, locale, metaFile);
  return existsSync(file) ? localeMetaSchema.parse(JSON.parse(readFileSync(file, 'utf8'))) : undefined;
}

/** Writes meta.json in the file's own style: most are one line (`{ "dir": "rtl", ... }`), some indented. */
export function writeMeta(localesDir: string, locale: string, meta: LocaleMeta): void {
  const file = join(localesDir, locale, metaFile);
  const oneLine = existsSync(file) && readFileSync(file, 'utf8').trimEnd().split('\n').length === 1;
  const valid = localeMetaSchema.parse(meta);
  writeFileSync(file, `${oneLine ? inlineJson(valid) : JSON.stringify(valid, null, 2)}\n`);
}

/** JSON on one line with a space after each colon and comma, as the one-line meta files are written. */
function inlineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const fields = Object.entries(value).filter(([, field]) => field !== undefined);
    return `{ ${fields.map(([name, field]) => `${JSON.stringify(name)}: ${inlineJson(field)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

/**
 * Sets `a.b.c` in a tree: an existing key keeps its place (assigning keeps an object's key order);
 * a key the translation lacked is added at the end of its parent object.
 */
export function setText(tree: Record<string, unknown>, key: string, text: string): void {
  const path = key.split('.');
  const last = path.pop() ?? key;
  let node = tree;
  for (const name of path) {
    const child = node[name];
    if (typeof child !== 'object' || child === null || Array.isArray(child)) node[name] = {};
    node = node[name] as Record<string, unknown>;
  }
  node[last] = text;
}

/** Writes the namespaces in `changed`, formatted as every locale file is: JSON.stringify with 2 spaces, then a newline. */
export function writeTrees(localesDir: string, locale: string, trees: NamespaceTrees, changed: Iterable<string>): void {
  for (const ns of changed) writeFileSync(join(localesDir, locale, `${ns}.json`), `${JSON.stringify(trees[ns], null, 2)}\n`);
}
