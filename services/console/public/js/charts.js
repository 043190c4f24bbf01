// @ts-check
/**
 * Horizontal bar charts as HTML, not SVG: the labels and values are text at the page's own size, so they stay
 * readable on a phone (an SVG scaled to a 360 px screen shrank 12 px labels to about 7 px), wrap instead of
 * overflowing, and a screen reader reads each row as words. Bar widths are set through the CSSOM
 * (`style.width`), which the Content-Security-Policy allows, never through a style attribute.
 */
import { h } from './dom.js';

/**
 * @param {string} title what the chart shows (its caption)
 * @param {{ label: string, values: (number | null)[] }[]} rows one bar per value (up to two series)
 * @param {{ unit?: string, max?: number, series?: string[], id?: string }} [options] `series`: the name of each bar, said beside its value
 */
export function barChart(title, rows, options = {}) {
  const unit = options.unit ?? '';
  const max = options.max ?? Math.max(1, ...rows.flatMap((r) => r.values.map((v) => v ?? 0)));
  const series = options.series ?? [];
  return h(
    'figure',
    { class: 'chart', id: options.id },
    h('figcaption', null, title),
    series.length > 1 ? h('p', { class: 'legend' }, series.map((name, j) => h('span', null, h('span', { class: `swatch${j === 1 ? ' second' : ''}`, 'aria-hidden': 'true' }), name))) : null,
    h(
      'ul',
      { class: 'chart-rows' },
      rows.map((row) =>
        h(
          'li',
          null,
          h('span', { class: 'chart-label' }, row.label),
          row.values.map((v, j) => {
            const bar = h('span', { class: `chart-bar${j === 1 ? ' second' : ''}`, 'aria-hidden': 'true' });
            bar.style.width = `${v === null ? 0 : Math.max(0.5, Math.min(100, (v / max) * 100))}%`;
            const said = v === null ? 'n/a' : `${v}${unit}`;
            return h('span', { class: 'chart-track' }, bar, h('span', { class: 'chart-value' }, series[j] && series.length > 1 ? `${said} ${series[j].toLowerCase()}` : said));
          }),
        ),
      ),
    ),
  );
}
