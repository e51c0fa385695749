import type { Translate } from '../../engine/types.js';
import { escapeHtml } from '../../text/escape-html.js';

/**
 * `GET /console/admin/widget-preview`: a plain page carrying this organisation's widget with the
 * same script tag an embedder pastes, so the console's preview shows exactly what visitors get.
 * No inline script (the CSP allows only our own files).
 */
export function widgetPreviewPage(t: Translate, lang: string, widgetKey: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t('console:admin.embedding.preview_title'))}</title>
<style>body{margin:0;padding:16px;font:15px/1.5 system-ui,sans-serif;color:#333;background:repeating-linear-gradient(45deg,#f4f5f7 0 12px,#eceef1 12px 24px);min-height:100vh;box-sizing:border-box}</style>
</head>
<body>
<p>${escapeHtml(t('console:admin.embedding.preview_note'))}</p>
<script src="/widget.js" data-key="${escapeHtml(widgetKey)}" async></script>
</body>
</html>
`;
}
