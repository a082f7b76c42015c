// Formatting of numbers, times and statuses for display (never parsing HTML).

export function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}

export function toDate(epochMs) {
  if (epochMs == null || epochMs === '') return null;
  const date = new Date(Number(epochMs));
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatTime(epochMs) {
  const d = toDate(epochMs);
  if (!d) return '—';
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function formatDateTime(epochMs) {
  const d = toDate(epochMs);
  if (!d) return '—';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatClock(epochMs) {
  const d = toDate(epochMs);
  return d ? `${pad(d.getHours())}:${pad(d.getMinutes())}` : '';
}

export function isoTitle(epochMs) {
  const d = toDate(epochMs);
  return d ? d.toISOString() : undefined;
}

export function formatAgo(epochMs, now = Date.now()) {
  const d = toDate(epochMs);
  if (!d) return '—';
  const s = Math.round((now - d.getTime()) / 1000);
  if (s < 0) return 'just now';
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

export function formatDuration(ms) {
  const n = Number(ms);
  if (ms == null || !Number.isFinite(n)) return '—';
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}

export function formatSpan(ms) {
  const n = Number(ms);
  if (!Number.isFinite(n)) return '—';
  const units = [['d', 86400000], ['h', 3600000], ['m', 60000], ['s', 1000]];
  for (const [unit, size] of units) {
    if (n >= size && n % size === 0) return `${n / size}${unit}`;
  }
  for (const [unit, size] of units) if (n >= size) return `${(n / size).toFixed(1)}${unit}`;
  return `${n}ms`;
}

export function formatBytes(bytes) {
  const n = Number(bytes);
  if (bytes == null || !Number.isFinite(n)) return '—';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

export function formatCount(n) {
  const v = Number(n);
  return Number.isFinite(v) ? v.toLocaleString('en-US') : '—';
}

export function formatPercent(ratio) {
  const v = Number(ratio);
  if (!Number.isFinite(v)) return '—';
  return `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`;
}

export function statusClass(status) {
  const n = Number(status);
  if (!Number.isInteger(n) || n < 100 || n > 599) return 'status-unknown';
  return `status-${Math.floor(n / 100)}xx`;
}

export function queryText(query) {
  return typeof query === 'string' ? query.replace(/^\?/, '') : '';
}

export function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Relative time ranges offered by the range selects, in ms. */
export const RANGES = { '15m': 15 * 60000, '1h': 3600000, '6h': 6 * 3600000, '24h': 86400000, '7d': 7 * 86400000 };
