// Storage: what /api/stats says — database size against the cap, rows, oldest
// record and retention per signal, deletions, and events agents had to drop.
import { $, el, setEmpty } from '../js/dom.js';
import { apiGet, isMissing } from '../js/api.js';
import { clearError, reportError } from '../js/errors.js';
import { formatAgo, formatBytes, formatCount, formatDateTime, formatPercent, formatSpan } from '../js/format.js';

const SIGNALS = ['requests', 'logs', 'exceptions', 'io'];
let abort = null;

function render(stats) {
  const size = Number(stats.dbSizeBytes);
  const cap = Number(stats.maxDbSizeBytes);
  const ratio = cap > 0 && Number.isFinite(size) ? size / cap : null;
  const meter = el('meter', { attrs: { id: 'storage-meter', min: 0, max: 1, low: 0.7, high: 0.9, optimum: 0.2, value: ratio ?? 0 } });
  const signals = [...new Set([...SIGNALS, ...Object.keys(stats.rows ?? {})])];
  $('storage-content').replaceChildren(
    el('div', { className: 'card storage-size', attrs: { id: 'storage-size' } }, [
      el('h3', { text: 'Database size' }),
      el('p', { className: 'storage-big mono', text: `${formatBytes(size)} of ${cap > 0 ? formatBytes(cap) : 'no cap'}${ratio != null ? ` (${formatPercent(ratio)})` : ''}` }),
      meter,
      el('p', { className: 'dim', text: 'When the cap is reached the oldest events are deleted first.' }),
    ]),
    el('div', { className: 'card', attrs: { id: 'storage-drops' } }, [
      el('h3', { text: 'Dropped by agents' }),
      el('p', { className: `storage-big mono ${Number(stats.agentDrops) > 0 ? 'status-5xx' : ''}`, text: formatCount(stats.agentDrops ?? 0) }),
      el('p', { className: 'dim', text: 'Events an agent discarded because its queue toward the collector was full.' }),
    ]),
    el('table', { className: 'grid storage-table', attrs: { id: 'storage-table' } }, [
      el('thead', {}, [el('tr', {}, ['Signal', 'Rows', 'Oldest', 'Retention', 'Deleted by retention'].map((h, i) =>
        el('th', { text: h, className: i > 0 && i !== 2 ? 'num' : undefined, attrs: { scope: 'col' } })))]),
      el('tbody', {}, signals.map((s) => {
        const oldest = stats.oldest?.[s];
        const retention = stats.retentionMs?.[s];
        return el('tr', { className: 'storage-row', dataset: { signal: s } }, [
          el('th', { text: s, attrs: { scope: 'row' } }),
          el('td', { className: 'num mono', text: formatCount(stats.rows?.[s] ?? 0) }),
          el('td', { className: 'mono', text: oldest ? `${formatDateTime(oldest)} (${formatAgo(oldest)})` : '—' }),
          el('td', { className: 'num mono', text: retention ? formatSpan(retention) : '—' }),
          el('td', { className: 'num mono', text: formatCount(stats.retentionDeleted?.[s] ?? 0) }),
        ]);
      })),
    ]),
  );
}

async function load() {
  abort?.abort();
  const mine = (abort = new AbortController());
  try {
    const stats = await apiGet('/api/stats', {}, mine.signal);
    if (abort !== mine) return;
    clearError();
    setEmpty($('storage-empty'), '');
    render(stats ?? {});
  } catch (err) {
    if (abort !== mine) return;
    $('storage-content').replaceChildren();
    if (isMissing(err)) setEmpty($('storage-empty'), 'No storage statistics: this collector does not offer /api/stats yet.');
    else {
      setEmpty($('storage-empty'), 'Could not load storage statistics.');
      reportError(err);
    }
  }
}

export const storageView = {
  sectionId: 'view-storage',
  init() {
    $('storage-refresh').addEventListener('click', load);
  },
  enter: load,
  refresh: load,
  leave() {
    abort?.abort();
  },
};
