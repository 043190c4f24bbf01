// @ts-check
/** Horizontal bar charts in SVG: small, accessible (a text table always sits beside them), no library. */

const NS = 'http://www.w3.org/2000/svg';

/** @param {string} tag @param {Record<string, string | number>} attrs @param {string} [text] */
function s(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * @param {string} title
 * @param {{ label: string, values: (number | null)[] }[]} rows one bar per value (up to two series)
 * @param {{ unit?: string, max?: number }} [options]
 */
export function barChart(title, rows, options = {}) {
  const unit = options.unit ?? '';
  const max = options.max ?? Math.max(1, ...rows.flatMap((r) => r.values.map((v) => v ?? 0)));
  const series = Math.max(1, ...rows.map((r) => r.values.length));
  const barH = 16;
  const rowH = series * barH + 12;
  const labelW = 190;
  const width = 620;
  const plotW = width - labelW - 70;
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${width} ${rows.length * rowH + 8}`, role: 'img', 'aria-label': title });
  svg.append(s('title', {}, title));
  rows.forEach((row, i) => {
    const y = i * rowH + 6;
    svg.append(s('text', { x: 0, y: y + (series * barH) / 2 + 4 }, row.label));
    row.values.forEach((v, j) => {
      const w = v === null ? 0 : Math.max(1, (v / max) * plotW);
      svg.append(s('rect', { class: `bar${j === 1 ? ' second' : ''}`, x: labelW, y: y + j * barH, width: w, height: barH - 3 }));
      svg.append(s('text', { x: labelW + w + 6, y: y + j * barH + barH - 5 }, v === null ? 'n/a' : `${v}${unit}`));
    });
  });
  return svg;
}
