// Overview: per service, request rate, error rate and p50/p95/p99 latency over
// time, and the slowest routes. Uses /api/overview; while a collector lacks it,
// the same numbers are computed here from the newest stored requests.
import { $, el, link, setEmpty } from '../js/dom.js';
import { apiGet, isMissing, items } from '../js/api.js';
import { clearError, reportError } from '../js/errors.js';
import { RANGES, formatCount, formatDuration, formatPercent } from '../js/format.js';
import { param, service, setParams } from '../js/state.js';
import { lineChart } from '../js/charts.js';
import { ensureOption } from '../js/filters.js';

const BUCKETS = 60;
const MAX_SERVICES = 8;
const FALLBACK_LIMIT = 1000;
const DEFAULT_RANGE = '1h';
let abort = null;

function range() {
  const r = param('orange');
  return Object.hasOwn(RANGES, r) ? r : DEFAULT_RANGE;
}

function quantile(sorted, q) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** The /api/overview answer, computed from up to FALLBACK_LIMIT requests. */
async function computeOverview(name, from, to, signal) {
  const list = items(await apiGet('/api/requests', { service: name, from, to, limit: FALLBACK_LIMIT }, signal));
  const width = (to - from) / BUCKETS;
  const buckets = Array.from({ length: BUCKETS }, () => []);
  const routes = new Map();
  for (const r of list) {
    const i = Math.floor((Number(r.startTime) - from) / width);
    if (i >= 0 && i < BUCKETS) buckets[i].push(r);
    const key = `${r.service}\u0000${r.route || r.path}`;
    if (!routes.has(key)) routes.set(key, { service: r.service, route: r.route || r.path, durations: [] });
    routes.get(key).durations.push(Number(r.durationMs) || 0);
  }
  const series = buckets.map((b, i) => {
    const d = b.map((r) => Number(r.durationMs) || 0).sort((x, y) => x - y);
    return {
      time: Math.floor(from + i * width), requests: b.length, errors: b.filter((r) => Number(r.status) >= 500).length,
      p50: quantile(d, 0.5), p95: quantile(d, 0.95), p99: quantile(d, 0.99),
    };
  });
  const slowRoutes = [...routes.values()].map((r) => {
    const d = r.durations.sort((x, y) => x - y);
    return { service: r.service, route: r.route, count: d.length, p95: quantile(d, 0.95), max: d[d.length - 1] };
  });
  return { series, slowRoutes, computed: true, truncated: list.length >= FALLBACK_LIMIT };
}

async function overviewOf(name, from, to, signal) {
  try {
    return await apiGet('/api/overview', { service: name, from, to, buckets: BUCKETS }, signal);
  } catch (err) {
    if (!isMissing(err)) throw err;
    return computeOverview(name, from, to, signal);
  }
}

function serviceCard(name, data, bucketMs) {
  const series = Array.isArray(data?.series) ? data.series : [];
  const times = series.map((p) => Number(p.time));
  const perMinute = 60000 / bucketMs;
  const num = (v) => (v == null || v === '' ? null : Number(v));
  const total = series.reduce((s, p) => s + (Number(p.requests) || 0), 0);
  const errors = series.reduce((s, p) => s + (Number(p.errors) || 0), 0);
  const slug = String(name || 'all').replace(/[^A-Za-z0-9_-]/g, '_');
  return el('article', { className: 'overview-service card', dataset: { service: name ?? '' } }, [
    el('header', { className: 'card-head' }, [
      el('h3', { text: name || 'All services' }),
      el('span', { className: 'dim', text: `${formatCount(total)} requests · ${formatCount(errors)} errors (${formatPercent(total ? errors / total : 0)})` }),
    ]),
    el('div', { className: 'chart-row' }, [
      lineChart({ id: `chart-rate-${slug}`, title: 'Requests per minute', times,
        series: [{ name: 'req/min', cls: 'series-rate', values: series.map((p) => (Number(p.requests) || 0) * perMinute) }],
        format: (v) => (v >= 10 ? v.toFixed(0) : v.toFixed(1)) }),
      lineChart({ id: `chart-errors-${slug}`, title: 'Error rate (5xx)', times,
        series: [{ name: 'errors', cls: 'series-error', values: series.map((p) => (Number(p.requests) ? (Number(p.errors) || 0) / Number(p.requests) : null)) }],
        format: formatPercent }),
      lineChart({ id: `chart-latency-${slug}`, title: 'Latency (ms)', times,
        series: [
          // An empty bucket has no latency: a gap, not a drop to zero.
          { name: 'p50', cls: 'series-p50', values: series.map((p) => (Number(p.requests) ? num(p.p50) : null)) },
          { name: 'p95', cls: 'series-p95', values: series.map((p) => (Number(p.requests) ? num(p.p95) : null)) },
          { name: 'p99', cls: 'series-p99', values: series.map((p) => (Number(p.requests) ? num(p.p99) : null)) },
        ],
        format: formatDuration }),
    ]),
  ]);
}

// A route template (/orders/{id}) becomes a path glob (/orders/*) for the Requests view.
function requestsLink(r) {
  const glob = String(r.route ?? '').replace(/\{[^}]*\}/g, '*');
  const query = new URLSearchParams({ ...(r.service ? { service: r.service } : {}), path: glob });
  return link(`?${query}#/requests`, r.route ?? '', 'slow-route-link mono');
}

async function load() {
  abort?.abort();
  const mine = (abort = new AbortController());
  const to = Date.now();
  const from = to - RANGES[range()];
  $('overview-status').textContent = 'Loading…';
  try {
    let names = service() ? [service()] : items(await apiGet('/api/services', {}, mine.signal))
      .sort((a, b) => (Number(b.requests) || 0) - (Number(a.requests) || 0))
      .map((s) => s?.name).filter((n) => typeof n === 'string' && n);
    names = names.slice(0, MAX_SERVICES);
    const answers = await Promise.all(names.map((n) => overviewOf(n, from, to, mine.signal)));
    if (abort !== mine) return;
    clearError();
    const bucketMs = (to - from) / BUCKETS;
    $('overview-charts').replaceChildren(...names.map((n, i) => serviceCard(n, answers[i], bucketMs)));
    const slow = answers.flatMap((a, i) => (Array.isArray(a?.slowRoutes) ? a.slowRoutes : []).map((r) => ({ service: names[i], ...r })))
      .sort((a, b) => (Number(b.p95) || 0) - (Number(a.p95) || 0)).slice(0, 15);
    $('overview-slow-body').replaceChildren(...slow.map((r) => el('tr', { className: 'slow-route-row' }, [
      el('td', { className: 'col-service', text: r.service ?? '' }),
      el('td', {}, [requestsLink(r)]),
      el('td', { className: 'num mono', text: formatCount(r.count) }),
      el('td', { className: 'num mono', text: formatDuration(r.p95) }),
      el('td', { className: 'num mono', text: formatDuration(r.max) }),
    ])));
    setEmpty($('overview-empty'), names.length === 0 ? 'No services have reported yet.' : '');
    setEmpty($('overview-slow-empty'), slow.length === 0 ? 'No requests in this range.' : '');
    const computed = answers.some((a) => a?.computed);
    const truncated = answers.some((a) => a?.truncated);
    $('overview-status').textContent = computed
      ? `Computed in the browser from stored requests${truncated ? ` (the newest ${FALLBACK_LIMIT} per service)` : ''}.`
      : '';
  } catch (err) {
    if (abort !== mine) return;
    $('overview-status').textContent = '';
    setEmpty($('overview-empty'), 'Could not load the overview.');
    reportError(err);
  }
}

export const overviewView = {
  sectionId: 'view-overview',
  init() {
    const select = $('overview-range');
    select.addEventListener('change', () => {
      setParams({ orange: select.value === DEFAULT_RANGE ? '' : select.value });
      load();
    });
    $('overview-refresh').addEventListener('click', load);
  },
  enter() {
    ensureOption($('overview-range'), range());
    $('overview-range').value = range();
    load();
  },
  refresh: load,
  leave() {
    abort?.abort();
  },
};
