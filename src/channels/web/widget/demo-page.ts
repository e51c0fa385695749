import type { Translate } from '../../../engine/types.js';
import { escapeHtml } from '../../../text/escape-html.js';

/**
 * `GET /`: what an NGO's page with the widget looks like. No inline script (the server's CSP
 * allows only our own script files); the one script tag is exactly what an embedder pastes.
 */
export function demoPage(t: Translate, lang: string, dir: 'ltr' | 'rtl', widgetKey: string): string {
  const text = (key: string): string => escapeHtml(t(`widget:demo.${key}`));
  return `<!doctype html>
<html lang="${escapeHtml(lang)}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text('page_title')}</title>
<style>
body{margin:0;font:17px/1.6 Georgia,"Times New Roman",serif;color:#222;background:#faf8f4}
header{background:#2d3b2f;color:#fff;padding:18px 24px}
header p{margin:0;font:600 18px/1.3 system-ui,sans-serif;letter-spacing:.02em}
main{max-width:720px;margin:0 auto;padding:24px}
h1{font:700 32px/1.2 system-ui,sans-serif;margin:.4em 0}
h2{font:700 22px/1.3 system-ui,sans-serif;margin-top:1.6em}
.note{border-inline-start:4px solid #2d3b2f;padding:8px 14px;background:#fff}
footer{max-width:720px;margin:0 auto;padding:24px;color:#555;font-size:15px}
</style>
</head>
<body>
<header><p>${text('organisation')}</p></header>
<main>
<h1>${text('heading')}</h1>
<p>${text('intro')}</p>
<h2>${text('help_heading')}</h2>
<ul>
<li>${text('help_1')}</li>
<li>${text('help_2')}</li>
<li>${text('help_3')}</li>
</ul>
<p class="note">${text('widget_note')}</p>
</main>
<footer>${text('footer')}</footer>
<script src="/widget.js" data-key="${escapeHtml(widgetKey)}" async></script>
</body>
</html>
`;
}
