// Zero-copy: bytes moved per path over time, and every I/O call site with its
// verdict — candidates (file bytes copied through the heap to a socket) first,
// since those are the ones worth fixing.
import { $, el, link, setEmpty } from '../js/dom.js';
import { apiGet, isMissing, items } from '../js/api.js';
import { clearError, reportError } from '../js/errors.js';
import { RANGES, formatBytes, formatCount } from '../js/format.js';
import { param, service, setParams } from '../js/state.js';
import { stackedBars } from '../js/charts.js';
import { detailHref, verdictBadge } from '../js/rows.js';
import { ensureOption } from '../js/filters.js';

const BUCKETS = 12;
const TOP_PATHS = 6;
const DEFAULT_RANGE = '1h';
const VERDICT_ORDER = { candidate: 0, fallback: 1, 'tls-blocked': 2, 'zero-copy': 3, none: 4 };
let abort = null;

function range() {
  const r = param('zrange');
  return Object.hasOwn(RANGES, r) ? r : DEFAULT_RANGE;
}

function siteRow(s) {
  return el('tr', { className: `io-row verdict-row-${String(s.verdict ?? '').replace(/[^a-z-]/g, '')}`, dataset: { verdict: s.verdict ?? '' } }, [
    el('td', {}, [s.verdict ? verdictBadge(s.verdict, s.reason || undefined) : null]),
    el('td', { className: 'col-service', text: s.service ?? '' }),
    // rows made inside requests link to one of them (sampleTraceId), where the request's own I/O is listed
    s.sampleTraceId
      ? el('td', { className: 'mono' }, [link(detailHref(s.sampleTraceId), s.path ?? '', 'io-example')])
      : el('td', { className: 'mono', text: s.path ?? '' }),
    el('td', { className: 'mono col-callsite', text: s.callSite ?? '', title: s.callSite ?? '' }),
    el('td', { className: 'mono', text: s.kind ?? '' }),
    el('td', { className: 'mono', text: s.mechanism ?? '' }),
    el('td', { className: 'num mono', text: formatCount(s.calls) }),
    el('td', { className: 'num mono', text: formatBytes(s.bytes) }),
    el('td', { className: 'num mono', text: formatBytes(s.zeroCopyBytes) }),
    el('td', { className: 'num mono', text: formatBytes(s.copiedBytes) }),
    el('td', { className: 'io-reason', text: s.reason ?? '' }),
  ]);
}

async function bytesOverTime(from, to, signal) {
  const width = (to - from) / BUCKETS;
  const answers = await Promise.all(Array.from({ length: BUCKETS }, (_, i) =>
    apiGet('/api/io', { service: service(), from: Math.floor(from + i * width), to: Math.floor(from + (i + 1) * width) - 1 }, signal)
      .then(items, () => [])));
  const totals = new Map();
  answers.flat().forEach((s) => totals.set(s.path ?? '-', (totals.get(s.path ?? '-') ?? 0) + (Number(s.bytes) || 0)));
  const top = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP_PATHS).map(([p]) => p);
  const layers = top.map((p) => ({ name: p, values: answers.map((list) => list.filter((s) => (s.path ?? '-') === p).reduce((n, s) => n + (Number(s.bytes) || 0), 0)) }));
  const rest = answers.map((list) => list.filter((s) => !top.includes(s.path ?? '-')).reduce((n, s) => n + (Number(s.bytes) || 0), 0));
  if (rest.some((v) => v > 0)) layers.push({ name: 'other paths', values: rest });
  return { times: answers.map((_, i) => Math.floor(from + i * width)), layers };
}

async function load() {
  abort?.abort();
  const mine = (abort = new AbortController());
  const to = Date.now();
  const from = to - RANGES[range()];
  $('zerocopy-status').textContent = 'Loading…';
  try {
    const sites = items(await apiGet('/api/io', { service: service(), from, to }, mine.signal));
    const chart = await bytesOverTime(from, to, mine.signal);
    if (abort !== mine) return;
    clearError();
    sites.sort((a, b) => (VERDICT_ORDER[a.verdict] ?? 9) - (VERDICT_ORDER[b.verdict] ?? 9) || (Number(b.bytes) || 0) - (Number(a.bytes) || 0));
    $('zerocopy-body').replaceChildren(...sites.map(siteRow));
    $('zerocopy-chart').replaceChildren(stackedBars({ id: 'zerocopy-bytes-chart', title: 'Bytes by path', ...chart, format: formatBytes }));
    const candidates = sites.filter((s) => s.verdict === 'candidate').length;
    setEmpty($('zerocopy-empty'), sites.length === 0 ? 'No I/O recorded in this range.' : '');
    $('zerocopy-status').textContent = sites.length ? `${sites.length} call sites · ${candidates} zero-copy candidate${candidates === 1 ? '' : 's'}` : '';
  } catch (err) {
    if (abort !== mine) return;
    $('zerocopy-body').replaceChildren();
    $('zerocopy-chart').replaceChildren();
    $('zerocopy-status').textContent = '';
    if (isMissing(err)) {
      setEmpty($('zerocopy-empty'), 'No I/O data: this collector does not offer /api/io yet.');
    } else {
      setEmpty($('zerocopy-empty'), 'Could not load I/O data.');
      reportError(err);
    }
  }
}

export const zeroCopyView = {
  sectionId: 'view-zerocopy',
  init() {
    const select = $('zerocopy-range');
    select.addEventListener('change', () => {
      setParams({ zrange: select.value === DEFAULT_RANGE ? '' : select.value });
      load();
    });
    $('zerocopy-refresh').addEventListener('click', load);
  },
  enter() {
    ensureOption($('zerocopy-range'), range());
    $('zerocopy-range').value = range();
    load();
  },
  refresh: load,
  leave() {
    abort?.abort();
  },
};
