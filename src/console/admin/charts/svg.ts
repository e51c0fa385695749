// The little SVG every chart is made of. Charts are drawn on the server from numbers and texts
// from locales/, so they show the same figures as the JSON and need no script in the page.

/** Escapes text for SVG (XML) content and attribute values. */
export function xml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char] ?? char);
}

/** Colours with at least 4.5:1 contrast on white, told apart by lightness too (not hue only). */
export const palette = { primary: '#1b3a4b', accent: '#a3470f', text: '#1d1d1f', muted: '#4a4f57', grid: '#c9ced6', background: '#ffffff' } as const;

export const font = 'system-ui,-apple-system,&quot;Segoe UI&quot;,Roboto,&quot;Noto Sans&quot;,sans-serif';

export interface ChartDocument {
  width: number;
  height: number;
  /** Short name of the chart: `<title>`. */
  title: string;
  /** Its numbers in words: `aria-label` (with the title) and the start of `<desc>`. */
  description: string;
  /** More numbers for `<desc>` only, too many to read out as a label (every day of a year). */
  details?: string;
  /** The language of its texts. */
  lang: string;
}

/** A chart: the SVG text, and its description for the `alt` of an `<img>` showing it. */
export interface Chart {
  svg: string;
  label: string;
}

/** A standalone, accessible SVG document around `body` (already escaped markup). */
export function svgDocument(doc: ChartDocument, body: string): Chart {
  const label = `${doc.title}. ${doc.description}`;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${doc.width} ${doc.height}" width="${doc.width}" height="${doc.height}" ` +
    `role="img" aria-label="${xml(label)}" lang="${xml(doc.lang)}" font-family="${font}" font-size="14">` +
    `<title>${xml(doc.title)}</title><desc>${xml(doc.details ? `${doc.description} ${doc.details}` : doc.description)}</desc>` +
    `<rect width="100%" height="100%" fill="${palette.background}"/>${body}</svg>`;
  return { svg, label };
}

export function text(
  x: number,
  y: number,
  content: string,
  options: { anchor?: 'start' | 'middle' | 'end'; fill?: string; weight?: number; size?: number } = {},
): string {
  return (
    `<text x="${round(x)}" y="${round(y)}" fill="${options.fill ?? palette.text}"` +
    `${options.anchor && options.anchor !== 'start' ? ` text-anchor="${options.anchor}"` : ''}` +
    `${options.weight ? ` font-weight="${options.weight}"` : ''}${options.size ? ` font-size="${options.size}"` : ''}>${xml(content)}</text>`
  );
}

export function rect(x: number, y: number, width: number, height: number, fill: string): string {
  return `<rect x="${round(x)}" y="${round(y)}" width="${round(Math.max(0, width))}" height="${round(Math.max(0, height))}" fill="${fill}"/>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke: string, width = 1): string {
  return `<line x1="${round(x1)}" y1="${round(y1)}" x2="${round(x2)}" y2="${round(y2)}" stroke="${stroke}" stroke-width="${width}"/>`;
}

/** A round upper end for an axis: 1, 2 or 5 times a power of ten, at least `value` (and at least 1). */
export function niceMax(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= value) ?? 10 * power;
}

export const round = (value: number) => Math.round(value * 10) / 10;
