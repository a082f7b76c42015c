// Request detail: the request, its log lines and exceptions on one timeline,
// then headers (redacted values marked), bodies, I/O and raw attributes.
import { $, el, setEmpty } from '../js/dom.js';
import { apiGet } from '../js/api.js';
import { clearError, reportError } from '../js/errors.js';
import { formatBytes, formatDateTime, formatDuration, formatTime, isoTitle, queryText, statusClass } from '../js/format.js';
import { stackTrace } from '../js/stack.js';
import { badges, verdictBadge } from '../js/rows.js';

const REDACTED = '***';
let abort = null;

function section(id, title, children) {
  return el('section', { className: 'detail-section', attrs: { id, 'aria-label': title } }, [
    el('h3', { text: title }),
    ...children,
  ]);
}

function offset(time, start) {
  const d = Number(time) - Number(start);
  return Number.isFinite(d) ? `${d >= 0 ? '+' : '−'}${formatDuration(Math.abs(d))} ms` : '';
}

function summary(r) {
  const query = queryText(r.query);
  return el('div', { className: 'detail-summary', attrs: { id: 'detail-summary' } }, [
    el('div', { className: 'detail-line' }, [
      el('span', { className: 'detail-method mono', text: r.method ?? '' }),
      el('span', { className: 'detail-path mono', text: `${r.path ?? ''}${query ? `?${query}` : ''}` }),
      el('span', { className: `detail-status mono ${statusClass(r.status)}`, text: r.status ?? '—' }),
      el('span', { className: 'detail-duration mono', text: `${formatDuration(r.durationMs)} ms` }),
      ...badges(r),
    ]),
    el('dl', { className: 'detail-facts' }, [
      ['Service', r.service], ['Started', formatDateTime(r.startTime)], ['Route', r.route],
      ['Client', r.clientAddress], ['Trace', r.traceId], ['Span', r.spanId],
    ].filter(([, v]) => v != null && v !== '').flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { className: 'mono', text: v })])),
  ]);
}

function timelineEntries(data) {
  const r = data.request;
  const entries = [{ time: Number(r.startTime), order: 0, kind: 'request', item: r }];
  for (const log of data.logs ?? []) entries.push({ time: Number(log.time), order: 1, kind: 'log', item: log });
  for (const exc of data.exceptions ?? []) entries.push({ time: Number(exc.time), order: 2, kind: 'exception', item: exc });
  entries.push({ time: Number(r.startTime) + Number(r.durationMs || 0), order: 3, kind: 'end', item: r });
  // Stable by kind for equal times: the start first, the end last.
  return entries.sort((a, b) => (a.kind === 'end') - (b.kind === 'end') || a.time - b.time || a.order - b.order);
}

// Node.append would turn a null into the text "null": skip absent parts.
function appendAll(node, ...children) {
  node.append(...children.filter((c) => c != null && c !== false));
}

// A throwable logged with a record is also stored as an exception (source "log"):
// show its stack once, on the exception entry, and point there from the log line.
function sameThrowable(a, b) {
  return String(a ?? '').trim() !== '' && String(a).trim() === String(b ?? '').trim();
}

function timelineItem(entry, start, exceptions) {
  const { kind, item } = entry;
  const li = el('li', { className: `timeline-item kind-${kind}`, dataset: { kind } });
  li.append(el('span', { className: 'tl-time mono', text: formatTime(entry.time), title: isoTitle(entry.time) }),
    el('span', { className: 'tl-offset mono', text: offset(entry.time, start) }));
  const bodyNode = el('div', { className: 'tl-body' });
  if (kind === 'request') {
    appendAll(bodyNode, el('span', { className: 'tl-label', text: 'request received' }),
      el('span', { className: 'mono', text: ` ${item.method ?? ''} ${item.path ?? ''}` }));
  } else if (kind === 'end') {
    appendAll(bodyNode, el('span', { className: 'tl-label', text: 'response' }),
      el('span', { className: `mono ${statusClass(item.status)}`, text: ` ${item.status ?? '—'}` }),
      el('span', { className: 'mono', text: ` after ${formatDuration(item.durationMs)} ms` }));
  } else if (kind === 'log') {
    const level = String(item.level ?? '');
    const shownBelow = item.exception && exceptions.some((e) => sameThrowable(e.stacktrace, item.exception));
    appendAll(bodyNode,
      el('span', { className: `level level-${level.toLowerCase().replace(/[^a-z]/g, '')}`, text: level }),
      el('span', { className: 'tl-logger mono', text: item.logger ?? '', title: item.thread ? `thread ${item.thread}` : undefined }),
      el('div', { className: 'log-message mono', text: item.message ?? '' }),
      item.exception && !shownBelow ? stackTrace(item.exception) : null,
      shownBelow ? el('div', { className: 'dim', text: `with ${String(item.exception).split('\n')[0]} (stack trace below)` }) : null,
    );
  } else if (kind === 'exception') {
    appendAll(bodyNode,
      el('span', { className: 'level level-exception', text: 'EXCEPTION' }),
      el('span', { className: 'tl-logger', text: item.source ? `(${item.source})` : '' }),
      stackTrace(item.stacktrace || `${item.type ?? ''}: ${item.message ?? ''}`,
        { summary: `${item.type ?? 'exception'}${item.message ? `: ${item.message}` : ''}` }),
    );
  }
  li.append(bodyNode);
  return li;
}

function headerValue(value) {
  const values = Array.isArray(value) ? value : [value];
  return values.map((v) => {
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    if (text === REDACTED) {
      return el('span', { className: 'redacted', text: REDACTED, title: 'Redacted by the agent before it left the application' },
        []);
    }
    return el('span', { className: 'header-value', text });
  }).flatMap((node, i) => (i === 0 ? [node] : [el('br'), node]));
}

function headersTable(title, headers) {
  const entries = Object.entries(headers ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return el('p', { className: 'dim', text: `${title}: none captured.` });
  return el('table', { className: 'kv headers-table' }, [
    el('caption', { text: title }),
    el('tbody', {}, entries.map(([name, value]) => {
      const redacted = (Array.isArray(value) ? value : [value]).includes(REDACTED);
      return el('tr', { className: redacted ? 'header-redacted' : undefined }, [
        el('th', { className: 'mono', text: name, attrs: { scope: 'row' } }),
        el('td', { className: 'mono' }, [...headerValue(value), redacted ? el('span', { className: 'badge badge-redacted', text: 'redacted' }) : null]),
      ]);
    })),
  ]);
}

// Body text with each value the agent masked shown as a redaction marker; the rest stays plain text.
function markRedacted(text) {
  return text.split(REDACTED).flatMap((part, i) => (i === 0 ? [part]
    : [el('span', { className: 'redacted', text: REDACTED, title: 'Redacted by the agent before it left the application' }), part]));
}

function bodiesSection(bodies) {
  const parts = [];
  for (const which of ['request', 'response']) {
    const text = bodies?.[which];
    if (text != null && text !== '') {
      parts.push(el('h4', { text: `${which[0].toUpperCase()}${which.slice(1)} body` }),
        el('pre', { className: 'body-text mono', dataset: { body: which } }, markRedacted(typeof text === 'string' ? text : JSON.stringify(text, null, 2))));
    }
  }
  if (parts.length === 0) parts.push(el('p', { className: 'dim', text: 'No bodies captured (enable lookout.capture.bodies on the agent).' }));
  return parts;
}

function ioSection(request, io) {
  const parts = [];
  if (request.io?.verdict && request.io.verdict !== 'none') {
    parts.push(el('p', {}, [el('span', { text: 'Zero-copy verdict: ' }), verdictBadge(request.io.verdict),
      el('span', { className: 'dim', text: ` zero-copy ${formatBytes(request.io.zeroCopyBytes)}, copied ${formatBytes(request.io.copiedBytes)}` })]));
  }
  const list = Array.isArray(io) ? io : [];
  if (list.length > 0) {
    const cols = ['kind', 'callSite', 'calls', 'bytes', 'zeroCopyBytes', 'copiedBytes', 'mechanism', 'verdict', 'reason'];
    parts.push(el('table', { className: 'grid io-table' }, [
      el('thead', {}, [el('tr', {}, cols.map((c) => el('th', { text: c, attrs: { scope: 'col' } })))]),
      el('tbody', {}, list.map((row) => el('tr', { className: 'io-row' }, cols.map((c) => {
        const v = row?.[c];
        if (c === 'verdict' && v) return el('td', {}, [verdictBadge(v)]);
        const text = /bytes$/i.test(c) ? formatBytes(v) : v ?? '';
        return el('td', { className: `mono ${typeof v === 'number' ? 'num' : ''}`, text: typeof text === 'object' ? JSON.stringify(text) : text });
      })))),
    ]));
  }
  if (parts.length === 0) parts.push(el('p', { className: 'dim', text: 'No socket or file-channel I/O recorded for this request.' }));
  return parts;
}

function attributesSection(attributes) {
  const entries = Object.entries(attributes ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return el('details', { className: 'attributes' }, [
    el('summary', { text: `All span attributes (${entries.length})` }),
    el('table', { className: 'kv' }, [el('tbody', {}, entries.map(([k, v]) => el('tr', {}, [
      el('th', { className: 'mono', text: k, attrs: { scope: 'row' } }),
      el('td', { className: 'mono', text: typeof v === 'string' ? v : JSON.stringify(v) }),
    ])))]),
  ]);
}

function render(data) {
  const r = data.request ?? {};
  const entries = timelineEntries({ ...data, request: r });
  const logs = (data.logs ?? []).length;
  const exceptions = (data.exceptions ?? []).length;
  $('detail-content').replaceChildren(
    summary(r),
    section('detail-timeline-section', `Timeline (${logs} log${logs === 1 ? '' : 's'}, ${exceptions} exception${exceptions === 1 ? '' : 's'})`, [
      el('ol', { className: 'timeline', attrs: { id: 'detail-timeline' } }, entries.map((e) => timelineItem(e, r.startTime, data.exceptions ?? []))),
    ]),
    section('detail-headers', 'Headers', [
      el('div', { className: 'headers-grid' }, [headersTable('Request headers', r.headers?.request), headersTable('Response headers', r.headers?.response)]),
    ]),
    section('detail-bodies', 'Bodies', bodiesSection(r.bodies)),
    section('detail-io', 'I/O', ioSection(r, data.io)),
    section('detail-attributes', 'Attributes', [attributesSection(r.attributes)]),
  );
  document.title = `${r.method ?? ''} ${r.path ?? ''} · Lookout`;
}

async function load(traceId, at, spanId) {
  abort?.abort();
  const mine = (abort = new AbortController());
  $('detail-content').replaceChildren();
  setEmpty($('detail-empty'), 'Loading…');
  try {
    const data = await apiGet(`/api/requests/${encodeURIComponent(traceId)}`, { at: /^\d+$/.test(at ?? '') ? at : '', spanId: spanId ?? '' }, mine.signal);
    if (abort !== mine) return;
    clearError();
    setEmpty($('detail-empty'), '');
    render(data ?? {});
    $('detail-title').focus({ preventScroll: true });
  } catch (err) {
    if (abort !== mine) return;
    setEmpty($('detail-empty'), err?.status === 404 ? `No request with trace id ${traceId}${spanId ? ` and span id ${spanId}` : ''} (it may have aged out).` : 'Could not load this request.');
    if (err?.status !== 404) reportError(err);
  }
}

export const detailView = {
  sectionId: 'view-detail',
  init() {},
  enter(args) {
    load(args[0] ?? '', args[1], args[2]);
  },
  refresh() {},
  leave() {
    abort?.abort();
    document.title = 'Lookout';
  },
};

