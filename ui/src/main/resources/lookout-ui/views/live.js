// Live: the newest requests, then a server-sent-event stream of new ones
// (filters applied server-side). Pause keeps receiving but stops adding rows.
import { $, keyboardRows } from '../js/dom.js';
import { apiGet, apiUrl, items, parseJson } from '../js/api.js';
import { clearError, reportError } from '../js/errors.js';
import { requestParams } from '../js/filters.js';
import { plural } from '../js/format.js';
import { buildRequestRow, openRequestRow } from '../js/rows.js';

const PAGE_SIZE = 100;
const MAX_ROWS = 500;
const HIGHLIGHT_MS = 3000;
const RECONNECT_MIN_MS = 1000;
const RECONNECT_MAX_MS = 30000;

const table = {
  params: {},
  loading: false, // first page in flight: live rows wait in live.incoming
  loadFailed: false,
  abort: null,
  keys: new Map(), // traceId/spanId -> row, to drop live duplicates of fetched rows
};
const rowKeys = new WeakMap();

const live = {
  source: null,
  reconnectTimer: 0,
  reconnectDelay: RECONNECT_MIN_MS,
  wasOpen: false,
  interrupted: false,
  skipped: 0,
  paused: false,
  pending: [], // received while paused, oldest first, capped at MAX_ROWS
  pendingCount: 0, // all received while paused, shown on the button
  incoming: [], // waiting for the next animation frame (batches bursts)
  frame: 0,
};

const body = () => $('requests-body');

function rowKey(item) {
  return item.traceId ? `${item.traceId}/${item.spanId ?? ''}` : null;
}

function remember(tr, key) {
  if (!key) return;
  table.keys.set(key, tr);
  rowKeys.set(tr, key);
}

function clearRows() {
  body().replaceChildren();
  table.keys.clear();
}

function appendRows(list) {
  const fragment = document.createDocumentFragment();
  let room = MAX_ROWS - body().rows.length;
  for (const item of list) {
    if (room <= 0) break;
    const key = rowKey(item);
    if (key && table.keys.has(key)) continue;
    const tr = buildRequestRow(item);
    remember(tr, key);
    fragment.append(tr);
    room--;
  }
  body().append(fragment);
}

// list is in arrival order (oldest first); the newest ends up on top.
function prependRows(list) {
  const fragment = document.createDocumentFragment();
  const added = [];
  for (let i = list.length - 1; i >= 0 && added.length < MAX_ROWS; i--) {
    const key = rowKey(list[i]);
    if (key && table.keys.has(key)) continue;
    const tr = buildRequestRow(list[i]);
    tr.classList.add('live-new');
    remember(tr, key);
    fragment.append(tr);
    added.push(tr);
  }
  if (added.length === 0) return;
  body().prepend(fragment);
  while (body().rows.length > MAX_ROWS) {
    const last = body().lastElementChild;
    const key = rowKeys.get(last);
    if (key) table.keys.delete(key);
    last.remove();
  }
  setTimeout(() => added.forEach((tr) => tr.classList.remove('live-new')), HIGHLIGHT_MS);
  renderFooter();
}

function renderFooter() {
  const count = body().rows.length;
  const empty = $('empty-state');
  empty.hidden = table.loading || count > 0;
  empty.textContent = table.loadFailed ? 'Could not load requests.' : 'No requests match these filters yet. New ones appear here as they happen.';
  $('table-status').textContent = table.loading
    ? 'Loading…'
    : `${plural(count, 'request')}${count >= MAX_ROWS ? ` · the newest ${MAX_ROWS} are kept; use Requests to search older ones` : ''}`;
  body().closest('table').setAttribute('aria-busy', String(table.loading));
}

async function reloadTable() {
  table.abort?.abort();
  const abort = (table.abort = new AbortController());
  clearRows();
  Object.assign(table, { loading: true, loadFailed: false });
  resetBacklog();
  renderFooter();
  try {
    const page = await apiGet('/api/requests', { ...table.params, limit: PAGE_SIZE }, abort.signal);
    clearError();
    appendRows(items(page));
  } catch (err) {
    // A superseded filter set's failure is no longer worth a banner.
    if (table.abort === abort) {
      table.loadFailed = true;
      reportError(err);
    }
  } finally {
    if (table.abort === abort) {
      table.loading = false;
      renderFooter();
      flushIncoming(); // live rows that arrived while the page was loading
    }
  }
}

// ---------------------------------------------------------------- stream

function setLiveStatus(state) {
  const indicator = $('live-status');
  indicator.dataset.state = state;
  indicator.textContent = state;
}

function openLive() {
  closeSource();
  const source = new EventSource(apiUrl('/api/live', { ...table.params, kinds: 'request' }));
  live.source = source;
  setLiveStatus(live.wasOpen ? 'reconnecting' : 'connecting');

  source.addEventListener('open', () => {
    if (live.source !== source) return;
    live.reconnectDelay = RECONNECT_MIN_MS;
    live.wasOpen = true;
    setLiveStatus('live');
    if (live.interrupted) showNotice();
  });
  source.addEventListener('error', () => {
    if (live.source !== source) return;
    if (live.wasOpen) live.interrupted = true;
    if (source.readyState === EventSource.CLOSED) {
      // A non-2xx answer (e.g. 401) ends EventSource for good: retry by hand and
      // ask the JSON API what went wrong, since EventSource hides the status.
      setLiveStatus('offline');
      scheduleReconnect();
      apiGet('/api/requests', { ...table.params, limit: 1 }).catch(reportError);
    } else {
      setLiveStatus('reconnecting');
    }
  });
  source.addEventListener('request', (event) => {
    if (live.source !== source) return;
    const item = parseJson(event.data);
    if (item && typeof item === 'object') onLiveItem(item);
  });
  source.addEventListener('skipped', (event) => {
    if (live.source !== source) return;
    const n = Number(parseJson(event.data)?.skipped) || 0;
    if (n > 0) {
      live.skipped += n;
      showNotice();
    }
  });
}

function scheduleReconnect() {
  clearTimeout(live.reconnectTimer);
  live.reconnectTimer = setTimeout(openLive, live.reconnectDelay);
  live.reconnectDelay = Math.min(live.reconnectDelay * 2, RECONNECT_MAX_MS);
}

function closeSource() {
  clearTimeout(live.reconnectTimer);
  live.source?.close();
  live.source = null;
}

// A new filter set means a fresh stream: forget the old stream's gaps.
function restartLive() {
  Object.assign(live, { wasOpen: false, interrupted: false, reconnectDelay: RECONNECT_MIN_MS });
  openLive();
}

function onLiveItem(item) {
  if (live.paused) {
    live.pending.push(item);
    if (live.pending.length > MAX_ROWS) live.pending.shift();
    live.pendingCount++;
    renderToggle();
    return;
  }
  live.incoming.push(item);
  if (live.incoming.length > MAX_ROWS) live.incoming.shift();
  if (!live.frame) live.frame = requestAnimationFrame(flushIncoming);
}

function flushIncoming() {
  cancelAnimationFrame(live.frame);
  live.frame = 0;
  if (table.loading || live.incoming.length === 0) return;
  const list = live.incoming;
  live.incoming = [];
  prependRows(list);
}

// Rows from before a table reload are covered by the reload itself.
function resetBacklog() {
  Object.assign(live, { incoming: [], pending: [], pendingCount: 0, skipped: 0, interrupted: false });
  hideNotice();
  renderToggle();
}

function renderToggle() {
  const button = $('live-toggle');
  if (!live.paused) button.textContent = 'Pause';
  else button.textContent = live.pendingCount > 0 ? `Resume (${live.pendingCount} new)` : 'Resume';
  button.title = live.paused ? 'Show live requests again' : 'Stop adding live requests to the table';
  button.setAttribute('aria-pressed', String(live.paused));
  $('view-live').dataset.paused = String(live.paused);
}

function togglePause() {
  live.paused = !live.paused;
  if (!live.paused) {
    live.incoming.push(...live.pending);
    live.incoming = live.incoming.slice(-MAX_ROWS);
    live.pending = [];
    live.pendingCount = 0;
    flushIncoming();
  }
  renderToggle();
}

function showNotice() {
  const parts = [];
  if (live.skipped > 0) parts.push(`${plural(live.skipped, 'request')} skipped because this page fell behind.`);
  if (live.interrupted) parts.push('The live connection dropped; some requests may be missing.');
  $('live-notice-text').textContent = parts.join(' ');
  $('live-notice').hidden = parts.length === 0;
}

function hideNotice() {
  $('live-notice').hidden = true;
  $('live-notice-text').textContent = '';
}

function start() {
  table.params = requestParams({ withTime: false });
  reloadTable();
  restartLive();
}

export const liveView = {
  sectionId: 'view-live',
  usesRequestFilters: true,
  init() {
    $('live-toggle').addEventListener('click', togglePause);
    $('live-notice-reload').addEventListener('click', reloadTable);
    keyboardRows(body(), openRequestRow);
    renderToggle();
  },
  enter: start,
  refresh: start, // filters or service changed
  leave() {
    table.abort?.abort();
    closeSource();
    setLiveStatus('idle'); // not an outage: only Live streams
  },
};

