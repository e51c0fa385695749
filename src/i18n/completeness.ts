/** The plural suffixes i18next adds (`key_one`, `key_few`...), from `Intl.PluralRules` categories. */
export const pluralSuffix = /_(zero|one|two|few|many|other)$/;

/**
 * Namespaces only staff read (the console): checked where a translation exists, not required in
 * every client language.
 */
export const staffNamespaces: ReadonlySet<string> = new Set(['console']);

export interface LocaleIssue {
  locale: string;
  namespace: string;
  key: string;
  message: string;
}

export type Resources = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/**
 * Compares every locale with the base: keys missing or extra, plural forms the language needs
 * (`Intl.PluralRules` categories: Arabic needs six), and interpolation variables the base text
 * does not have. Pure: takes the resources as read from `locales/`.
 */
export function checkCompleteness(resources: Resources, locales: readonly string[], base: string): LocaleIssue[] {
  const issues: LocaleIssue[] = [];
  const baseNamespaces = resources[base] ?? {};
  for (const locale of locales.filter((code) => code !== base)) {
    const namespaces = resources[locale] ?? {};
    for (const [namespace, baseTree] of Object.entries(baseNamespaces)) {
      const tree = namespaces[namespace];
      if (tree === undefined) {
        if (!staffNamespaces.has(namespace)) issues.push({ locale, namespace, key: '*', message: `${locale}/${namespace}.json is missing` });
        continue;
      }
      issues.push(...compareNamespace(locale, namespace, flatten(baseTree), flatten(tree)));
    }
    for (const namespace of Object.keys(namespaces)) {
      if (!(namespace in baseNamespaces)) issues.push({ locale, namespace, key: '*', message: `${locale}/${namespace}.json has no ${base} original` });
    }
  }
  return issues;
}

function compareNamespace(locale: string, namespace: string, base: Map<string, string>, translated: Map<string, string>): LocaleIssue[] {
  const issues: LocaleIssue[] = [];
  const report = (key: string, message: string) => issues.push({ locale, namespace, key, message });
  const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;

  const baseGroups = groupPlurals(base);
  const translatedGroups = groupPlurals(translated);
  for (const [key, forms] of baseGroups) {
    const variables = new Set([...forms.values()].flatMap(variablesOf));
    const own = translatedGroups.get(key);
    if (!own) {
      // Other words for a button's label (`…_also`, src/engine/answers/parse.ts) help where a language has them.
      if (!key.endsWith('_also')) report(key, 'missing');
      continue;
    }
    if (forms.has('')) {
      if (!own.has('')) report(key, 'is plural here but not in the base text');
    } else {
      for (const category of categories) if (!own.has(category)) report(`${key}_${category}`, `missing plural form "${category}" that ${locale} needs`);
    }
    for (const [form, text] of own) {
      const unknown = variablesOf(text).filter((variable) => !variables.has(variable));
      if (unknown.length > 0)
        report(form ? `${key}_${form}` : key, `uses ${unknown.map((name) => `{{${name}}}`).join(', ')}, which the base text does not have`);
    }
  }
  for (const key of translatedGroups.keys()) if (!baseGroups.has(key)) report(key, 'is not in the base locale');
  return issues;
}

/** key -> (plural category or '' for a plain text) -> text. */
function groupPlurals(texts: Map<string, string>): Map<string, Map<string, string>> {
  const groups = new Map<string, Map<string, string>>();
  for (const [path, text] of texts) {
    const match = pluralSuffix.exec(path);
    const key = match ? path.slice(0, match.index) : path;
    const forms = groups.get(key) ?? new Map<string, string>();
    forms.set(match?.[1] ?? '', text);
    groups.set(key, forms);
  }
  return groups;
}

/** A namespace's tree as `a.b.c` -> text, in the file's key order. */
export function flatten(tree: unknown, prefix = '', into = new Map<string, string>()): Map<string, string> {
  if (typeof tree === 'string') into.set(prefix, tree);
  else if (typeof tree === 'object' && tree !== null) {
    for (const [name, value] of Object.entries(tree)) flatten(value, prefix ? `${prefix}.${name}` : name, into);
  }
  return into;
}

/** `{{name}}` and `{{name, format}}`; `count` is supplied by i18next for plurals. */
export function variablesOf(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([^,}\s]+)/g)].map((match) => match[1] ?? '');
}
