import type { FlowIssue } from '../flows/load.js';
import { entryText, type LexiconEntry } from './lexicon-schema.js';
import type { LoadedLexicon } from './load.js';
import { entryTooShort, parseEntry, type Terms } from './pattern.js';
import { safetyCategories } from './types.js';

/** Host-country languages heard besides the client languages: people write what they hear around them. */
export const hostCountryLanguages = ['de', 'nl', 'fr', 'it'] as const;

/**
 * The rules a safeguarding lead relies on: a lexicon for every client and host-country language,
 * every category and return-safety questions in each client language, every entry parses, and no
 * entry is so short that it fires on ordinary words (see `tooShort`) unless it says why (`short_ok`).
 */
export function lintLexicons(loaded: readonly LoadedLexicon[], clientLanguages: readonly string[]): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const byLanguage = new Map(loaded.map((item) => [item.lexicon.language, item]));
  for (const language of new Set([...clientLanguages, ...hostCountryLanguages])) {
    if (!byLanguage.has(language))
      issues.push({ file: `flows/safety/${language}.yaml`, message: 'missing: every client and host-country language needs a safety lexicon' });
  }
  for (const { file, lexicon } of loaded) {
    const client = clientLanguages.includes(lexicon.language);
    for (const category of safetyCategories) {
      const entries = lexicon.categories[category] ?? [];
      if (client && entries.length === 0)
        issues.push({ file, message: `categories.${category}: no entries (every category is needed in every client language)` });
      issues.push(...lintEntries(file, `categories.${category}`, entries, lexicon.terms));
    }
    if (client && lexicon.return_safety.length === 0)
      issues.push({ file, message: 'return_safety: no entries (questions about danger back home must not raise an alarm)' });
    issues.push(...lintEntries(file, 'return_safety', lexicon.return_safety, lexicon.terms));
    issues.push(...lintEntries(file, 'exclusions', lexicon.exclusions, lexicon.terms));
    issues.push(...lintTerms(file, lexicon));
  }
  return issues;
}

/** A term nobody uses is a word the reviewer reads and the detector never hears. */
function lintTerms(file: string, lexicon: LoadedLexicon['lexicon']): FlowIssue[] {
  const texts = [...safetyCategories.flatMap((category) => lexicon.categories[category] ?? []), ...lexicon.return_safety, ...lexicon.exclusions].map(entryText);
  texts.push(...Object.values(lexicon.terms));
  return Object.keys(lexicon.terms)
    .filter((name) => !texts.some((text) => new RegExp(`@${name}(?![a-z0-9_])`).test(text)))
    .map((name) => ({ file, message: `terms.${name}: never used in an entry` }));
}

function lintEntries(file: string, where: string, entries: readonly LexiconEntry[], terms: Terms): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const seen = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    const text = entryText(entry);
    const at = `${where}[${index}] "${text}"`;
    if (seen.has(text)) issues.push({ file, message: `${at}: listed twice` });
    seen.add(text);
    const parsed = parseEntry(text, terms);
    if ('error' in parsed) {
      issues.push({ file, message: `${at}: ${parsed.error}` });
      continue;
    }
    // Exclusions and return questions are held to the rule too: a short one would silence real alarms.
    const short = entryTooShort(parsed);
    if (short && (typeof entry === 'string' || entry.short_ok === undefined))
      issues.push({ file, message: `${at}: too short to be safe, ${short}; lengthen it or give short_ok with the reason` });
  }
  return issues;
}
