// Small helpers shared by the plan pictures: SVG elements built with the DOM (every text through
// textContent, never parsed, as type names come from the user), fixed-decimal numbers and axis ticks.

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svgEl(name, attrs = {}, text = null) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== null) node.textContent = text;
  return node;
}

// An <svg> drawn at its real pixel size: width x height user units = CSS pixels, so 12 px text stays 12 px
// on a phone instead of shrinking with a viewBox scaled to the screen.
export function svgRoot(width, height, title, testid) {
  const svg = svgEl('svg', {width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
                           class: 'chart-svg', 'data-testid': testid});
  svg.append(svgEl('title', {}, title));
  return svg;
}

// "1234.568": the page's figures in ms and MiB, three decimals like the result tables.
export const ms3 = (v) => (Number.isFinite(v) ? v.toFixed(3) : '–');
export const mib1 = (v) => (Number.isFinite(v) ? v.toFixed(1) : '–');
export const pct1 = (part, whole) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : '–');
// "3,145,728": a whole figure grouped by thousands, as the page shows counts.
const GROUPED = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0});
export const whole0 = (v) => (Number.isFinite(v) ? GROUPED.format(v) : '–');

// Axis ticks from 0 to max: steps of 1, 2 or 5 x 10^k, about `count` of them; decimals enough for the step.
export function ticks(max, count) {
  if (!(max > 0) || !(count >= 1)) return {step: 0, values: [0], decimals: 0};
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough);
  const values = [];
  for (let i = 0; i * step <= max * (1 + 1e-9); i++) values.push(i * step);
  return {step, values, decimals: Math.max(0, -Math.floor(Math.log10(step)))};
}
