// The one HTML escape of the project: text (never markup) into an element or a quoted attribute.
// `escape-html` is the jshttp package express itself uses for its error pages; it escapes & < > " '
// (the quote as &#39;, a numeric entity Telegram's HTML parse mode reads too). It lives in text/, a
// leaf layer, so tools below http/ (the translation review sheet in i18n/) escape the same way.
import escapeHtmlText from 'escape-html';

/**
 * @example `<title>${escapeHtml(t('widget:demo.title'))}</title>`
 */
export function escapeHtml(text: string): string {
  return escapeHtmlText(text);
}
