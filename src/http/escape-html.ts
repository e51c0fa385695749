// The server's HTML escape is the project's one, in text/ (a leaf layer, so i18n/'s review sheet can
// use it too); re-exported here so the pages and channels keep importing it from http/.
export { escapeHtml } from '../text/escape-html.js';
