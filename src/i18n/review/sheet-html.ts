// The review sheet as a page to read or print: the same rows as the CSV, English beside the
// translation, with the translation cells set in the language's own direction (Arabic, Persian,
// Sorani right to left) so a reviewer reads them as the person will. Every text goes through the
// project's one HTML escape: the texts hold quotes, <, & ("Yes, I want to talk to a person").
import { escapeHtml } from '../../text/escape-html.js';
import type { SheetRow } from './sheet.js';

export interface SheetPage {
  locale: string;
  /** The language's own name (meta.json `nativeName`). */
  nativeName: string;
  dir: 'ltr' | 'rtl';
  rows: readonly SheetRow[];
  /** The CSV file written beside it, the one to fill in. */
  csvName: string;
}

const style = `
body { font: 11pt/1.4 system-ui, "Noto Sans", "Noto Sans Ethiopic", "Noto Naskh Arabic", sans-serif; margin: 1.5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: 0.3rem 0.45rem; vertical-align: top; text-align: start; overflow-wrap: anywhere; }
thead th { background: #eee; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.key { font: 9pt/1.3 ui-monospace, monospace; width: 12%; }
td.where { font-size: 9pt; color: #444; width: 14%; }
td.text { width: 22%; }
td.blank { width: 15%; }
@page { size: A4 landscape; margin: 1cm; }
@media print { body { margin: 0; } }
`;

export function sheetHtml(page: SheetPage): string {
  const own = `lang="${escapeHtml(page.locale)}" dir="${page.dir}"`;
  const rows = page.rows
    .map(
      (row) =>
        `<tr><td class="key">${escapeHtml(row.namespace)}:${escapeHtml(row.key)}</td><td class="where">${escapeHtml(row.where)}</td>` +
        `<td class="text" lang="en" dir="ltr">${escapeHtml(row.english)}</td><td class="text" ${own}>${escapeHtml(row.translation)}</td>` +
        `<td class="blank" ${own}>${escapeHtml(row.reviewed)}</td><td class="blank">${escapeHtml(row.comment)}</td></tr>`,
    )
    .join('\n');
  // The page reads left to right; the language's own name is isolated so "کوردی (سۆرانی)" keeps its brackets.
  const title = `Homeward: review of ${page.nativeName} (${page.locale})`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
<h1>Homeward: review of <bdi ${own}>${escapeHtml(page.nativeName)}</bdi> (${escapeHtml(page.locale)})</h1>
<p>${page.rows.length} texts. Write the corrected text in "reviewed text", or copy the translation when it is right; an empty cell counts as not reviewed.
Keep every {{variable}} as it is. Return the file ${escapeHtml(page.csvName)}; this page is for reading and printing.</p>
<table>
<thead><tr><th>key</th><th>where it appears</th><th>English</th><th>translation (${escapeHtml(page.locale)})</th><th>reviewed text</th><th>comment</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}
