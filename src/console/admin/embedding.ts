import QRCode from 'qrcode';
import { escapeHtml } from '../../text/escape-html.js';

/*
 * What an organisation puts on its website and posters: the widget's script tag, and the link to
 * its Telegram bot with a QR code. The QR code is made here on the server, so no third party
 * learns which organisation's bot is being looked at.
 */

/**
 * The exact tag to paste, as on the demo page (src/channels/web/widget/demo-page.ts).
 *
 * @example widgetSnippet('https://homeward.example', 'k3y') // '<script src="https://homeward.example/widget.js" data-key="k3y" async></script>'
 */
export function widgetSnippet(baseUrl: string, widgetKey: string): string {
  return `<script src="${escapeHtml(`${baseUrl}/widget.js`)}" data-key="${escapeHtml(widgetKey)}" async></script>`;
}

/** Telegram's `/start` payload alphabet (src/channels/telegram/update.ts reads the same). */
const startPayload = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * `https://t.me/<bot>?start=<widget key>`: the bot reads the payload as the widget key and so
 * knows the organisation (src/channels/telegram/bot.ts). A key Telegram cannot carry is left out;
 * the bot then falls back to its default organisation.
 */
export function telegramLink(username: string, widgetKey: string): string {
  const link = new URL(`https://t.me/${encodeURIComponent(username)}`);
  if (startPayload.test(widgetKey)) link.searchParams.set('start', widgetKey);
  return link.toString();
}

/** The link as an SVG QR code; medium error correction survives a printed poster's wear. */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
