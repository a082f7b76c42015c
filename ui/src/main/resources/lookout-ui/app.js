// Lookout web UI: plain ES modules served as-is by the collector (no build, no
// network beyond this collector). Every captured string is untrusted and is only
// ever put into the page with textContent (see js/dom.js).
//
// Routes (hash) and stable hooks for tests — keep these ids and classes:
//   top bar      #filter-service (service selector, URL ?service=), #live-status[data-state],
//                #theme-toggle, #account/#logout-button, #error-banner (inside #error-wrap)
//   filter bar   #filters with #filter-method, #filter-status, #filter-path, #filter-q,
//                #filter-min-duration, #filter-range, #filter-from, #filter-to, #filter-clear;
//                URL ?method=&status=&path=&q=&minDurationMs=&range=&from=&to=
//   #/live       #view-live, #live-toggle (Pause/Resume), #requests-body > tr.request-row[data-trace-id]
//                (new rows carry .live-new for a few seconds), #live-notice, #empty-state
//   #/requests   #view-requests, #search-body > tr.request-row, #search-prev, #search-next, #search-status
//   #/request/<traceId>[/<startTime>[/<spanId>]]  #view-detail, #detail-summary, #detail-timeline > li.timeline-item[data-kind],
//                details.stack (.app-frame lines), #detail-headers (.redacted for "***"), #detail-bodies, #detail-io
//   #/exceptions #exceptions-body > tr.exception-group[data-fingerprint] (.is-new, .badge-new, svg.sparkline,
//                a.sample-link), #exceptions-range (URL ?erange=)
//   #/logs       #logs-level, #logs-q (URL ?level=&lq=), #logs-body > tr.log-row (a.log-trace-link), #logs-more
//   #/overview   #overview-charts > article.overview-service[data-service] (figure.chart), #overview-slow-body
//   #/zero-copy  #zerocopy-chart, #zerocopy-body > tr.io-row[data-verdict], #zerocopy-empty
//   #/storage    #storage-content (#storage-size, #storage-meter, #storage-table, #storage-drops), #storage-empty
//   login        #login-view, #login-form, #login-username, #login-password, #login-submit, #login-error
import { $, el } from './js/dom.js';
import { apiGet, items } from './js/api.js';
import { initErrorBanner, reportError } from './js/errors.js';
import { ensureOption, initFilters, onFiltersChange, syncFromUrl } from './js/filters.js';
import { initLogin } from './js/login.js';
import { service, setParams } from './js/state.js';
import { liveView } from './views/live.js';
import { requestsView } from './views/requests.js';
import { detailView } from './views/detail.js';
import { exceptionsView } from './views/exceptions.js';
import { logsView } from './views/logs.js';
import { overviewView } from './views/overview.js';
import { zeroCopyView } from './views/zerocopy.js';
import { storageView } from './views/storage.js';

const THEME_KEY = 'lookout.theme';

// ---------------------------------------------------------------- theme

const darkQuery = matchMedia('(prefers-color-scheme: dark)');
let chosenTheme = null; // null follows the OS until the user picks a theme

function storedTheme() {
  try {
    const theme = localStorage.getItem(THEME_KEY);
    return theme === 'light' || theme === 'dark' ? theme : null;
  } catch {
    return null; // Storage can be disabled; the OS preference still applies.
  }
}

function effectiveTheme() {
  return chosenTheme ?? (darkQuery.matches ? 'dark' : 'light');
}

function applyTheme() {
  const theme = effectiveTheme();
  document.documentElement.dataset.theme = theme;
  const other = theme === 'dark' ? 'light' : 'dark';
  $('theme-toggle').setAttribute('aria-label', `Switch to ${other} theme`);
  $('theme-toggle').title = `Switch to ${other} theme`;
}

function initTheme() {
  chosenTheme = storedTheme();
  applyTheme();
  $('theme-toggle').addEventListener('click', () => {
    chosenTheme = effectiveTheme() === 'dark' ? 'light' : 'dark';
    try {
      localStorage.setItem(THEME_KEY, chosenTheme);
    } catch {
      // Not persisted; the switch still holds for this page.
    }
    applyTheme();
  });
  darkQuery.addEventListener('change', applyTheme);
}

// ---------------------------------------------------------------- services

async function loadServices() {
  const select = $('filter-service');
  try {
    const names = items(await apiGet('/api/services'))
      .map((s) => s?.name).filter((n) => typeof n === 'string' && n !== '')
      .sort((a, b) => a.localeCompare(b));
    select.replaceChildren(el('option', { text: 'All services', attrs: { value: '' } }));
    for (const name of new Set(names)) select.append(el('option', { text: name, attrs: { value: name } }));
  } catch (err) {
    reportError(err);
  }
  ensureOption(select, service());
  select.value = service();
}

// ---------------------------------------------------------------- router

const VIEWS = {
  live: liveView,
  requests: requestsView,
  request: detailView,
  exceptions: exceptionsView,
  logs: logsView,
  overview: overviewView,
  'zero-copy': zeroCopyView,
  storage: storageView,
};
const DEFAULT_VIEW = 'live';
const NAV_OF = { request: null }; // the detail view highlights no tab
let current = null; // { name, key }
let lastListHash = '#/live';

function parseHash() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const name = Object.hasOwn(VIEWS, parts[0]) ? parts[0] : DEFAULT_VIEW;
  return { name, args: name === parts[0] ? parts.slice(1) : [], key: location.hash || `#/${DEFAULT_VIEW}` };
}

function route() {
  const next = parseHash();
  if (current && current.key === next.key) return;
  if (current) VIEWS[current.name].leave();
  for (const [name, view] of Object.entries(VIEWS)) $(view.sectionId).hidden = name !== next.name;
  const tab = Object.hasOwn(NAV_OF, next.name) ? NAV_OF[next.name] : next.name;
  for (const a of document.querySelectorAll('[data-view-link]')) {
    if (a.dataset.viewLink === tab) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  $('filters').hidden = !VIEWS[next.name].usesRequestFilters;
  document.body.dataset.view = next.name;
  if (next.name !== 'request') lastListHash = next.key;
  $('detail-back').href = `${location.search}${lastListHash}`;
  current = next;
  VIEWS[next.name].enter(next.args);
}

function refreshCurrent() {
  if (current) VIEWS[current.name].refresh();
}

// ---------------------------------------------------------------- keyboard

const SHORTCUTS = { l: 'live', r: 'requests', e: 'exceptions', g: 'logs', o: 'overview', z: 'zero-copy', s: 'storage' };

function isTyping(target) {
  return target instanceof HTMLInputElement || target instanceof HTMLSelectElement
    || target instanceof HTMLTextAreaElement || (target instanceof HTMLElement && target.isContentEditable);
}

function initKeyboard() {
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target) || !$('login-view').hidden) return;
    if (event.key === '/') {
      // "/" focuses the first search box of the view, as in many developer tools.
      const box = current?.name === 'logs' ? $('logs-q') : !$('filters').hidden ? $('filter-path') : null;
      if (box) {
        event.preventDefault();
        box.focus();
        box.select();
      }
    } else if (Object.hasOwn(SHORTCUTS, event.key)) {
      location.hash = `#/${SHORTCUTS[event.key]}`;
    } else if (event.key === 'p' && current?.name === 'live') {
      $('live-toggle').click();
    } else if (event.key === 't') {
      $('theme-toggle').click();
    }
  });
}

// ---------------------------------------------------------------- start

function init() {
  initTheme();
  initErrorBanner();
  initFilters();
  for (const view of Object.values(VIEWS)) view.init();
  onFiltersChange(() => {
    if (VIEWS[current?.name]?.usesRequestFilters) refreshCurrent();
  });
  $('filter-service').addEventListener('change', () => {
    setParams({ service: $('filter-service').value });
    refreshCurrent();
  });
  initLogin(() => {
    loadServices();
    refreshCurrent();
  });
  initKeyboard();
  loadServices();
  window.addEventListener('hashchange', route);
  window.addEventListener('popstate', () => {
    syncFromUrl();
    $('filter-service').value = service();
  });
  route();
}

init();
