// Logs: minimum level and full-text search (both in the URL), newest first,
// each line linking to the request it was written in.
import { $, el, link, setEmpty } from '../js/dom.js';
import { apiGet, items } from '../js/api.js';
import { clearError, reportError } from '../js/errors.js';
import { formatTime, isoTitle, plural } from '../js/format.js';
import { param, service, setParams } from '../js/state.js';
import { stackTrace } from '../js/stack.js';
import { detailHref } from '../js/rows.js';

const PAGE_SIZE = 100;
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
const DEBOUNCE_MS = 300;
const state = { abort: null, next: null, count: 0 };

function logRow(log) {
  const level = String(log.level ?? '');
  const tr = el('tr', { className: `log-row level-row-${level.toLowerCase().replace(/[^a-z]/g, '')}` });
  if (log.traceId) tr.dataset.traceId = log.traceId;
  tr.append(
    el('td', { className: 'col-time mono', text: formatTime(log.time), title: isoTitle(log.time) }),
    el('td', {}, [el('span', { className: `level level-${level.toLowerCase().replace(/[^a-z]/g, '')}`, text: level })]),
    el('td', { className: 'col-service', text: log.service ?? '' }),
    el('td', { className: 'col-logger mono', text: shortLogger(log.logger), title: [log.logger, log.thread && `thread ${log.thread}`].filter(Boolean).join('\n') }),
    el('td', { className: 'col-message' }, [
      el('div', { className: 'log-message mono', text: log.message ?? '' }),
      log.exception ? stackTrace(log.exception) : null,
    ]),
    el('td', { className: 'col-request' }, [
      log.traceId ? link(detailHref(log.traceId, log.time), 'request', 'log-trace-link') : el('span', { className: 'dim', text: '—' }),
    ]),
  );
  return tr;
}

function shortLogger(name) {
  const text = String(name ?? '');
  return text.length > 40 ? `…${text.slice(-39)}` : text;
}

function currentParams() {
  const level = param('level').toUpperCase();
  return { service: service(), level: LEVELS.includes(level) ? level : '', q: param('lq').trim() };
}

async function load(more = false) {
  if (!more) state.abort?.abort();
  const abort = more ? state.abort : (state.abort = new AbortController());
  const tbody = $('logs-body');
  if (!more) {
    tbody.replaceChildren();
    state.count = 0;
    state.next = null;
  }
  $('logs-status').textContent = 'Loading…';
  $('logs-more').hidden = true;
  try {
    const body = await apiGet('/api/logs', { ...currentParams(), limit: PAGE_SIZE, cursor: more ? state.next : '' }, abort.signal);
    if (state.abort !== abort) return;
    clearError();
    const list = items(body);
    tbody.append(...list.map(logRow));
    state.count += list.length;
    state.next = body?.nextCursor ?? null;
    setEmpty($('logs-empty'), state.count === 0 ? 'No log records match.' : '');
    $('logs-status').textContent = plural(state.count, 'log record');
    $('logs-more').hidden = !state.next;
  } catch (err) {
    if (state.abort !== abort) return;
    setEmpty($('logs-empty'), state.count === 0 ? 'Could not load logs.' : '');
    $('logs-status').textContent = '';
    reportError(err);
  }
}

function writeControls() {
  const p = currentParams();
  $('logs-level').value = p.level;
  $('logs-q').value = p.q;
}

function apply() {
  const level = $('logs-level').value;
  const q = $('logs-q').value.trim();
  const before = currentParams();
  if (before.level === level && before.q === q) return;
  setParams({ level, lq: q });
  load();
}

export const logsView = {
  sectionId: 'view-logs',
  init() {
    $('logs-level').addEventListener('change', apply);
    let timer = 0;
    $('logs-q').addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(apply, DEBOUNCE_MS);
    });
    $('logs-form').addEventListener('submit', (event) => {
      event.preventDefault();
      clearTimeout(timer);
      apply();
    });
    $('logs-more').addEventListener('click', () => load(true));
  },
  enter() {
    writeControls();
    load();
  },
  refresh() {
    writeControls();
    load();
  },
  leave() {
    state.abort?.abort();
  },
};
