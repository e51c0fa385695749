// The per-day figure: a bar for each day's first series and a line for the second, on one axis.
import { line, niceMax, palette, rect, round, svgDocument, text, type Chart } from './svg.js';

export interface DailySeries {
  /** Legend text. */
  label: string;
  values: number[];
}

export interface DailyChart {
  title: string;
  description: string;
  /** Every day's numbers, for `<desc>`. */
  details: string;
  lang: string;
  /** Axis labels of the days, as many as values. */
  days: string[];
  bars: DailySeries;
  line: DailySeries;
  formatNumber: (value: number) => string;
}

const width = 720;
const height = 300;
const plot = { left: 56, right: 16, top: 16, bottom: 236 };

export function dailyChart(chart: DailyChart): Chart {
  const count = chart.days.length;
  const max = niceMax(Math.max(0, ...chart.bars.values, ...chart.line.values));
  const slot = (width - plot.right - plot.left) / Math.max(1, count);
  const y = (value: number) => plot.bottom - (value / max) * (plot.bottom - plot.top);
  const x = (index: number) => plot.left + slot * index + slot / 2;
  const parts: string[] = [];

  // Grid and its numbers at 0, the top, and half way when that is a whole number (counts have no halves).
  for (const tick of Number.isInteger(max / 2) ? [0, max / 2, max] : [0, max]) {
    parts.push(
      line(plot.left, y(tick), width - plot.right, y(tick), palette.grid),
      text(plot.left - 8, y(tick) + 5, chart.formatNumber(tick), { anchor: 'end', fill: palette.muted, size: 13 }),
    );
  }
  const barWidth = Math.max(1, slot * 0.7);
  chart.bars.values.forEach((value, index) => {
    if (value > 0) parts.push(rect(x(index) - barWidth / 2, y(value), barWidth, plot.bottom - y(value), palette.primary));
  });
  if (count > 0) {
    const points = chart.line.values.map((value, index) => `${round(x(index))},${round(y(value))}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${palette.accent}" stroke-width="2.5" stroke-linejoin="round"/>`);
    // Dots only while there is room for them.
    if (count <= 62)
      chart.line.values.forEach((value, index) => parts.push(`<circle cx="${round(x(index))}" cy="${round(y(value))}" r="3.5" fill="${palette.accent}"/>`));
  }
  // First, middle and last day under the axis.
  const labelled = [...new Set([0, Math.floor((count - 1) / 2), count - 1])].filter((index) => index >= 0 && index < count);
  for (const index of labelled) {
    const anchor = count === 1 ? 'middle' : index === 0 ? 'start' : index === count - 1 ? 'end' : 'middle';
    const at = anchor === 'start' ? plot.left : anchor === 'end' ? width - plot.right : x(index);
    parts.push(
      line(x(index), plot.bottom, x(index), plot.bottom + 5, palette.muted),
      text(at, plot.bottom + 22, chart.days[index] ?? '', { anchor, fill: palette.muted, size: 13 }),
    );
  }
  parts.push(line(plot.left, plot.bottom, width - plot.right, plot.bottom, palette.muted));
  // Legend: a square for the bars, a stroke for the line, each with its text.
  const legendY = plot.bottom + 50;
  parts.push(rect(plot.left, legendY - 11, 14, 14, palette.primary), text(plot.left + 22, legendY + 1, chart.bars.label));
  const second = plot.left + 22 + Math.min(320, chart.bars.label.length * 8 + 40);
  parts.push(line(second, legendY - 4, second + 22, legendY - 4, palette.accent, 3), text(second + 30, legendY + 1, chart.line.label));
  return svgDocument({ width, height, title: chart.title, description: chart.description, details: chart.details, lang: chart.lang }, parts.join(''));
}
