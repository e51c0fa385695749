// Horizontal bars with a label before and the value after each: the funnel and the waits. Text
// labels carry the meaning; colour only groups.
import { palette, rect, svgDocument, text, type Chart } from './svg.js';

export interface BarRow {
  label: string;
  value: number;
  /** How the value is written after the bar (a count, a duration). */
  shown: string;
  colour?: string;
}

/** A group of bars under a heading line (the wait figure: one group per channel). */
export interface BarGroup {
  heading?: string;
  rows: BarRow[];
}

export interface BarRowsChart {
  title: string;
  description: string;
  lang: string;
  groups: BarGroup[];
  /** Written instead of bars when there is nothing to show. */
  empty?: string;
}

const width = 720;
const labelWidth = 240;
const valueWidth = 130;
const rowHeight = 34;
const headingHeight = 28;

export function barRowsChart(chart: BarRowsChart): Chart {
  const max = Math.max(0, ...chart.groups.flatMap((group) => group.rows.map((row) => row.value)));
  const barSpace = width - labelWidth - valueWidth;
  const parts: string[] = [];
  let y = 12;
  if (chart.empty !== undefined) {
    parts.push(text(16, y + 22, chart.empty, { fill: palette.muted }));
    y += 40;
  } else {
    for (const group of chart.groups) {
      if (group.heading) {
        parts.push(text(16, y + 20, group.heading, { weight: 700 }));
        y += headingHeight;
      }
      for (const row of group.rows) {
        const barWidth = max > 0 ? (row.value / max) * barSpace : 0;
        parts.push(
          text(labelWidth - 12, y + rowHeight / 2 + 5, row.label, { anchor: 'end' }),
          rect(labelWidth, y + 6, barWidth, rowHeight - 12, row.colour ?? palette.primary),
          text(labelWidth + barWidth + 8, y + rowHeight / 2 + 5, row.shown, { weight: 700 }),
        );
        y += rowHeight;
      }
      y += 6;
    }
  }
  return svgDocument({ width, height: Math.ceil(y + 6), title: chart.title, description: chart.description, lang: chart.lang }, parts.join(''));
}
