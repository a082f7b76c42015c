// One request as a table row, shared by Live and Requests. Rows are focusable
// and open the request's detail (see keyboardRows in dom.js).
import { el } from './dom.js';
import { formatBytes, formatDuration, formatTime, isoTitle, plural, queryText, statusClass } from './format.js';

function textCell(className, text, title) {
  return el('td', { className, text: text ?? '', title });
}

function pathCell(item) {
  const path = item.path ?? '';
  const query = queryText(item.query);
  const td = el('td', { className: 'col-path mono' }, [
    el('span', { className: 'path', text: path }),
    query ? el('span', { className: 'query', text: `?${query}` }) : null,
  ]);
  // Full text on hover since the cell truncates; the route helps spot templated paths.
  let title = query ? `${path}?${query}` : path;
  if (item.route && item.route !== path) title += `\nroute: ${item.route}`;
  td.title = title;
  return td;
}

export function verdictBadge(verdict, title) {
  return el('span', { className: `badge badge-io verdict-${String(verdict).replace(/[^a-z-]/g, '')}`, text: verdict, title });
}

export function badges(item) {
  const out = [];
  const exceptions = Number(item.exceptionCount) || 0;
  const logs = Number(item.logCount) || 0;
  if (exceptions > 0) {
    out.push(el('span', { className: 'badge badge-exc', text: `${exceptions} exc`, title: plural(exceptions, 'exception') }));
  }
  if (logs > 0) {
    out.push(el('span', { className: 'badge badge-log', text: `${logs} log`, title: plural(logs, 'log record') }));
  }
  const verdict = item.io?.verdict;
  // "none" means no file or socket I/O worth a verdict: no badge, less noise.
  if (verdict != null && verdict !== '' && verdict !== 'none') {
    out.push(verdictBadge(verdict,
      `I/O: ${verdict} (zero-copy ${formatBytes(item.io.zeroCopyBytes)}, copied ${formatBytes(item.io.copiedBytes)})`));
  }
  return out;
}

/**
 * The detail route of a request; the start time makes the collector's lookup fast, and the span id
 * picks that server span when a trace has several (without it: the trace's first).
 */
export function detailHref(traceId, startTime, spanId) {
  const span = spanId ? `/${encodeURIComponent(spanId)}` : '';
  return `#/request/${encodeURIComponent(traceId ?? '')}${startTime || span ? `/${encodeURIComponent(startTime ?? '')}` : ''}${span}`;
}

export function buildRequestRow(item) {
  const tr = el('tr', { className: 'request-row', attrs: { tabindex: 0 } });
  tr.dataset.traceId = item.traceId ?? '';
  if (item.spanId) tr.dataset.spanId = item.spanId;
  if (item.startTime != null) tr.dataset.startTime = String(item.startTime);
  tr.append(
    textCell('col-time mono', formatTime(item.startTime), isoTitle(item.startTime)),
    textCell('col-service', item.service, item.clientAddress ? `client ${item.clientAddress}` : undefined),
    textCell('col-method mono', item.method),
    pathCell(item),
    textCell(`col-status mono num ${statusClass(item.status)}`, item.status ?? '—'),
    textCell('col-duration mono num', formatDuration(item.durationMs)),
    el('td', { className: 'col-flags' }, badges(item)),
  );
  return tr;
}

export function openRequestRow(row) {
  if (row.dataset.traceId) location.hash = detailHref(row.dataset.traceId, row.dataset.startTime, row.dataset.spanId);
}
