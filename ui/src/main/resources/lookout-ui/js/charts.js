// Hand-drawn SVG charts (no library, no network): a time-series line chart with
// a hover read-out, a sparkline, and stacked bars. Colours come from CSS classes.
import { el, svg } from './dom.js';
import { formatClock, formatDateTime } from './format.js';

const W = 480;
const H = 150;
const PAD = { l: 44, r: 8, t: 8, b: 20 };

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

/**
 * times: epoch ms per point; series: [{name, values, cls}] (null values leave gaps);
 * format: y value → text. Returns a <figure class="chart">.
 */
export function lineChart({ title, times, series, format = String, id }) {
  const figure = el('figure', { className: 'chart', attrs: { id } });
  figure.append(el('figcaption', { className: 'chart-title', text: title }));
  const n = times.length;
  const all = series.flatMap((s) => s.values).filter((v) => v != null && Number.isFinite(v));
  if (n === 0 || all.length === 0) {
    figure.append(el('p', { className: 'chart-empty dim', text: 'No data in this range.' }));
    return figure;
  }
  const max = niceMax(Math.max(...all));
  const x = (i) => PAD.l + (n === 1 ? (W - PAD.l - PAD.r) / 2 : (i * (W - PAD.l - PAD.r)) / (n - 1));
  const y = (v) => PAD.t + (H - PAD.t - PAD.b) * (1 - v / max);

  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart-svg', role: 'img', 'aria-label': title });
  for (const f of [0, 0.5, 1]) {
    root.append(svg('line', { x1: PAD.l, x2: W - PAD.r, y1: y(max * f), y2: y(max * f), class: 'grid-line' }),
      svg('text', { x: PAD.l - 4, y: y(max * f) + 3, class: 'axis-label', 'text-anchor': 'end' }, [document.createTextNode(format(max * f))]));
  }
  for (const i of [0, Math.floor((n - 1) / 2), n - 1]) {
    root.append(svg('text', { x: x(i), y: H - 5, class: 'axis-label', 'text-anchor': i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle' },
      [document.createTextNode(formatClock(times[i]))]));
  }
  series.forEach((s, si) => {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v == null || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    root.append(svg('path', { d, class: `series ${s.cls ?? `series-${si}`}` }));
    // Isolated points would be invisible as a path: draw them as dots.
    s.values.forEach((v, i) => {
      const prev = s.values[i - 1];
      const next = s.values[i + 1];
      if (v != null && (prev == null || !Number.isFinite(prev)) && (next == null || !Number.isFinite(next))) {
        root.append(svg('circle', { cx: x(i), cy: y(v), r: 2, class: `dot ${s.cls ?? `series-${si}`}` }));
      }
    });
  });
  const cursor = svg('line', { y1: PAD.t, y2: H - PAD.b, class: 'cursor-line', visibility: 'hidden' });
  root.append(cursor);
  figure.append(root);

  const legend = el('div', { className: 'chart-legend' }, series.map((s, si) =>
    el('span', { className: `legend-item ${s.cls ?? `series-${si}`}`, text: s.name })));
  const readout = el('div', { className: 'chart-readout mono', attrs: { 'aria-live': 'off' } });
  figure.append(legend, readout);

  root.addEventListener('mousemove', (event) => {
    const box = root.getBoundingClientRect();
    const px = ((event.clientX - box.left) / box.width) * W;
    const i = Math.max(0, Math.min(n - 1, Math.round(((px - PAD.l) / (W - PAD.l - PAD.r)) * (n - 1))));
    cursor.setAttribute('x1', x(i));
    cursor.setAttribute('x2', x(i));
    cursor.setAttribute('visibility', 'visible');
    readout.textContent = `${formatDateTime(times[i])}  ${series.map((s) => `${s.name} ${s.values[i] == null ? '—' : format(s.values[i])}`).join('  ')}`;
  });
  root.addEventListener('mouseleave', () => {
    cursor.setAttribute('visibility', 'hidden');
    readout.textContent = '';
  });
  return figure;
}

/** A small inline trend; the title lists the counts for screen readers and hover. */
export function sparkline(values, { width = 100, height = 20, label = '' } = {}) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 1 - ((height - 2) * v) / max).toFixed(1)}`).join(' ');
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'sparkline', role: 'img', 'aria-label': label }, [
    svg('title', {}, [document.createTextNode(label)]),
    svg('polyline', { points, class: 'spark-line' }),
  ]);
  return root;
}

/** Stacked bars per time bucket: layers [{name, values}] share times. */
export function stackedBars({ title, times, layers, format = String, id }) {
  // A full-width chart: a wider canvas keeps its labels at the size of the others.
  const W = 1200;
  const H = 220;
  const figure = el('figure', { className: 'chart chart-wide', attrs: { id } });
  figure.append(el('figcaption', { className: 'chart-title', text: title }));
  const n = times.length;
  const totals = times.map((_, i) => layers.reduce((sum, l) => sum + (Number(l.values[i]) || 0), 0));
  if (n === 0 || !totals.some((t) => t > 0)) {
    figure.append(el('p', { className: 'chart-empty dim', text: 'No data in this range.' }));
    return figure;
  }
  const max = niceMax(Math.max(...totals));
  const PAD = { l: 64, r: 8, t: 8, b: 20 };
  const slot = (W - PAD.l - PAD.r) / n;
  const y = (v) => PAD.t + (H - PAD.t - PAD.b) * (1 - v / max);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart-svg', role: 'img', 'aria-label': title });
  for (const f of [0, 0.5, 1]) {
    root.append(svg('line', { x1: PAD.l, x2: W - PAD.r, y1: y(max * f), y2: y(max * f), class: 'grid-line' }),
      svg('text', { x: PAD.l - 4, y: y(max * f) + 3, class: 'axis-label', 'text-anchor': 'end' }, [document.createTextNode(format(max * f))]));
  }
  for (let i = 0; i < n; i++) {
    let base = 0;
    layers.forEach((layer, li) => {
      const v = Number(layer.values[i]) || 0;
      if (v <= 0) return;
      const rect = svg('rect', { x: PAD.l + i * slot + 1, width: Math.max(1, slot - 2), y: y(base + v), height: y(base) - y(base + v), class: `bar series-${li % 8}` },
        [svg('title', {}, [document.createTextNode(`${layer.name}: ${format(v)} (${formatDateTime(times[i])})`)])]);
      root.append(rect);
      base += v;
    });
  }
  for (const i of [0, n - 1]) {
    root.append(svg('text', { x: PAD.l + i * slot + (i === 0 ? 0 : slot), y: H - 5, class: 'axis-label', 'text-anchor': i === 0 ? 'start' : 'end' },
      [document.createTextNode(formatClock(times[i]))]));
  }
  figure.append(root, el('div', { className: 'chart-legend' }, layers.map((l, li) =>
    el('span', { className: `legend-item series-${li % 8}`, text: l.name }))));
  return figure;
}
