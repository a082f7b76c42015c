// Requests: search over stored requests with every filter (time range included),
// one page at a time. The API pages by cursor, so "previous" replays the cursors seen.
import { $, keyboardRows, setEmpty } from '../js/dom.js';
import { apiGet, items } from '../js/api.js';
import { clearError, reportError } from '../js/errors.js';
import { requestParams } from '../js/filters.js';
import { plural } from '../js/format.js';
import { buildRequestRow, openRequestRow } from '../js/rows.js';

const PAGE_SIZE = 50;

const state = {
  params: {},
  cursors: [null], // cursors[i] fetches page i
  page: 0,
  next: null,
  abort: null,
};

async function load() {
  state.abort?.abort();
  const abort = (state.abort = new AbortController());
  const tbody = $('search-body');
  tbody.closest('table').setAttribute('aria-busy', 'true');
  $('search-status').textContent = 'Loading…';
  try {
    const body = await apiGet('/api/requests',
      { ...state.params, limit: PAGE_SIZE, cursor: state.cursors[state.page] }, abort.signal);
    if (state.abort !== abort) return;
    clearError();
    const list = items(body);
    tbody.replaceChildren(...list.map(buildRequestRow));
    state.next = body?.nextCursor ?? null;
    // A text search (q=) scans a bounded slice per page: an empty page with a cursor means
    // "nothing in this slice", not "nothing at all".
    setEmpty($('search-empty'), list.length > 0 ? ''
      : state.next ? 'No match among the requests searched so far; Next searches older ones.'
        : 'No requests match these filters.');
    const first = state.page * PAGE_SIZE + 1;
    $('search-status').textContent = list.length === 0 ? ''
      : `Page ${state.page + 1} · ${plural(list.length, 'request')} (${first}–${first + list.length - 1})`;
  } catch (err) {
    if (state.abort !== abort) return;
    tbody.replaceChildren();
    state.next = null;
    setEmpty($('search-empty'), 'Could not load requests.');
    $('search-status').textContent = '';
    reportError(err);
  } finally {
    if (state.abort === abort) {
      tbody.closest('table').setAttribute('aria-busy', 'false');
      $('search-prev').disabled = state.page === 0;
      $('search-next').disabled = !state.next;
    }
  }
}

function restart() {
  state.params = requestParams({ withTime: true });
  state.cursors = [null];
  state.page = 0;
  load();
}

export const requestsView = {
  sectionId: 'view-requests',
  usesRequestFilters: true,
  init() {
    keyboardRows($('search-body'), openRequestRow);
    $('search-next').addEventListener('click', () => {
      if (!state.next) return;
      state.cursors[state.page + 1] = state.next;
      state.page++;
      load();
    });
    $('search-prev').addEventListener('click', () => {
      if (state.page === 0) return;
      state.page--;
      load();
    });
    $('search-refresh').addEventListener('click', restart);
  },
  enter: restart,
  refresh: restart,
  leave() {
    state.abort?.abort();
  },
};
