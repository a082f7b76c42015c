// The request filter bar, shared by Live and Requests. Values mirror the URL;
// Live ignores the time range (a stream has no end), Requests uses all of them.
import { $, el } from './dom.js';
import { params, setParams, service } from './state.js';
import { RANGES } from './format.js';

const KEYS = ['method', 'status', 'path', 'q', 'minDurationMs', 'range', 'from', 'to'];
const CONTROLS = {
  method: 'filter-method',
  status: 'filter-status',
  path: 'filter-path',
  q: 'filter-q',
  minDurationMs: 'filter-min-duration',
  range: 'filter-range',
  from: 'filter-from',
  to: 'filter-to',
};
const TYPING_DEBOUNCE_MS = 300;

const listeners = new Set();
let current = read();

function normalize(raw) {
  const f = {};
  for (const key of KEYS) f[key] = String(raw[key] ?? '').trim();
  f.method = f.method.toUpperCase();
  f.status = f.status.toLowerCase();
  if (f.minDurationMs && !(Number(f.minDurationMs) >= 0)) f.minDurationMs = '';
  if (f.range && f.range !== 'custom' && !Object.hasOwn(RANGES, f.range)) f.range = '';
  if (f.range !== 'custom') {
    f.from = '';
    f.to = '';
  }
  return f;
}

function read() {
  const raw = params(KEYS);
  // A hand-written link may give from/to without range=custom: honour them.
  if (!raw.range && (raw.from || raw.to)) raw.range = 'custom';
  return normalize(raw);
}

// A shared link may carry a value the select does not list (status=503):
// add it rather than silently widening the filter.
export function ensureOption(select, value, label = value) {
  if (value && ![...select.options].some((option) => option.value === value)) {
    select.append(el('option', { text: label, attrs: { value } }));
  }
}

// datetime-local inputs speak local wall-clock time; the URL keeps epoch ms.
function toLocalInput(ms) {
  if (!ms) return '';
  const d = new Date(Number(ms));
  if (Number.isNaN(d.getTime())) return '';
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

function fromLocalInput(value) {
  if (!value) return '';
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? '' : String(t);
}

function writeControls(f) {
  for (const key of KEYS) {
    const control = $(CONTROLS[key]);
    if (key === 'from' || key === 'to') control.value = toLocalInput(f[key]);
    else {
      if (control instanceof HTMLSelectElement) ensureOption(control, f[key]);
      control.value = f[key];
    }
  }
  $('filter-custom-range').hidden = f.range !== 'custom';
}

function readControls() {
  const raw = {};
  for (const key of KEYS) {
    const value = $(CONTROLS[key]).value;
    raw[key] = key === 'from' || key === 'to' ? fromLocalInput(value) : value;
  }
  return normalize(raw);
}

function same(a, b) {
  return KEYS.every((key) => a[key] === b[key]);
}

function apply() {
  const next = readControls();
  $('filter-custom-range').hidden = next.range !== 'custom';
  if (same(next, current)) return;
  current = next;
  setParams(next);
  for (const listener of listeners) listener(current);
}

export function filters() {
  return current;
}

export function onFiltersChange(listener) {
  listeners.add(listener);
}

/** API parameters for the current filters plus the top bar's service. */
export function requestParams({ withTime }) {
  const f = current;
  const p = { service: service(), method: f.method, status: f.status, path: f.path, q: f.q, minDurationMs: f.minDurationMs };
  if (withTime) {
    if (f.range === 'custom') {
      p.from = f.from;
      p.to = f.to;
    } else if (f.range) {
      p.from = Date.now() - RANGES[f.range];
    }
  }
  return p;
}

/** Re-reads the URL (back/forward, a pasted link). */
export function syncFromUrl() {
  current = read();
  writeControls(current);
}

export function initFilters() {
  writeControls(current);
  for (const key of ['method', 'status', 'range', 'from', 'to']) $(CONTROLS[key]).addEventListener('change', apply);
  // Typing should not fire a request per keystroke.
  let timer = 0;
  for (const key of ['path', 'q', 'minDurationMs']) {
    const input = $(CONTROLS[key]);
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(apply, TYPING_DEBOUNCE_MS);
    });
    input.addEventListener('change', () => {
      clearTimeout(timer);
      apply();
    });
  }
  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    apply();
  });
  $('filter-clear').addEventListener('click', () => {
    for (const key of KEYS) $(CONTROLS[key]).value = '';
    apply();
  });
}
