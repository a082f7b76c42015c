// Exceptions: groups by fingerprint with count, first/last seen, a sparkline and a
// "new" mark; a row opens its sample request. The sparkline is the API's histogram
// (buckets=N: one grouped query on the collector, not one request per slice).
import { $, el, keyboardRows, link, setEmpty } from '../js/dom.js';
import { apiGet, items } from '../js/api.js';
import { clearError, reportError } from '../js/errors.js';
import { RANGES, formatAgo, formatCount, formatDateTime } from '../js/format.js';
import { param, service, setParams } from '../js/state.js';
import { sparkline } from '../js/charts.js';
import { detailHref } from '../js/rows.js';
import { ensureOption } from '../js/filters.js';

const BUCKETS = 12;
const NEW_MS = 3600000; // a group first seen within the last hour is "new"
const DEFAULT_RANGE = '24h';
let abort = null;

function range() {
  const r = param('erange');
  return Object.hasOwn(RANGES, r) ? r : DEFAULT_RANGE;
}

function groupRow(g, trend, now) {
  const isNew = Number(g.firstSeen) >= now - NEW_MS;
  const tr = el('tr', { className: `exception-group${isNew ? ' is-new' : ''}`, attrs: { tabindex: g.sampleTraceId ? 0 : null } });
  tr.dataset.fingerprint = g.fingerprint ?? '';
  if (g.sampleTraceId) tr.dataset.traceId = g.sampleTraceId;
  tr.append(
    el('td', { className: 'col-exception' }, [
      isNew ? el('span', { className: 'badge badge-new', text: 'new', title: 'First seen within the last hour' }) : null,
      el('span', { className: 'exc-type mono', text: g.type ?? 'unknown' }),
      g.message ? el('div', { className: 'exc-message', text: g.message, title: g.message }) : null,
    ]),
    el('td', { className: 'col-service', text: g.service ?? '' }),
    el('td', { className: 'num mono exc-count', text: formatCount(g.count) }),
    el('td', { className: 'mono', text: formatAgo(g.firstSeen, now), title: formatDateTime(g.firstSeen) }),
    el('td', { className: 'mono', text: formatAgo(g.lastSeen, now), title: formatDateTime(g.lastSeen) }),
    el('td', { className: 'col-trend' }, [trend ? sparkline(trend, { label: `per bucket: ${trend.join(', ')}` }) : null]),
    el('td', { className: 'col-links' }, [
      g.sampleTraceId ? link(detailHref(g.sampleTraceId), 'sample request', 'sample-link') : el('span', { className: 'dim', text: 'no request' }),
      ' ',
      link(`?${new URLSearchParams({ ...(service() ? { service: service() } : {}), lq: g.type ?? '' })}#/logs`, 'logs', 'logs-link'),
    ]),
  );
  return tr;
}

async function load() {
  abort?.abort();
  const mine = (abort = new AbortController());
  const to = Date.now();
  const from = to - RANGES[range()];
  const tbody = $('exceptions-body');
  $('exceptions-status').textContent = 'Loading…';
  try {
    const body = await apiGet('/api/exceptions', { service: service(), from, to, limit: 200, buckets: BUCKETS }, mine.signal);
    if (abort !== mine) return;
    clearError();
    const groups = items(body).sort((a, b) => (Number(b.lastSeen) || 0) - (Number(a.lastSeen) || 0));
    tbody.replaceChildren(...groups.map((g) => groupRow(g, Array.isArray(g.histogram) ? g.histogram.map(Number) : null, to)));
    setEmpty($('exceptions-empty'), groups.length === 0 ? 'No exceptions in this range.' : '');
    const newCount = groups.filter((g) => Number(g.firstSeen) >= to - NEW_MS).length;
    $('exceptions-status').textContent = `${groups.length} groups · ${formatCount(groups.reduce((s, g) => s + (Number(g.count) || 0), 0))} occurrences${newCount ? ` · ${newCount} new` : ''}`;
  } catch (err) {
    if (abort !== mine) return;
    tbody.replaceChildren();
    setEmpty($('exceptions-empty'), 'Could not load exceptions.');
    $('exceptions-status').textContent = '';
    reportError(err);
  }
}

export const exceptionsView = {
  sectionId: 'view-exceptions',
  init() {
    const select = $('exceptions-range');
    select.addEventListener('change', () => {
      setParams({ erange: select.value === DEFAULT_RANGE ? '' : select.value });
      load();
    });
    $('exceptions-refresh').addEventListener('click', load);
    keyboardRows($('exceptions-body'), (row) => {
      if (row.dataset.traceId) location.hash = detailHref(row.dataset.traceId);
    });
  },
  enter() {
    ensureOption($('exceptions-range'), range());
    $('exceptions-range').value = range();
    load();
  },
  refresh: load,
  leave() {
    abort?.abort();
  },
};
