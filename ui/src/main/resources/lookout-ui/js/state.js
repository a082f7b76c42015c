// View state lives in the URL so that a copied link reproduces the view:
// filters in the query string (?service=…&method=…), the view in the hash (#/requests).

export function param(key) {
  return new URLSearchParams(location.search).get(key) ?? '';
}

export function params(keys) {
  const query = new URLSearchParams(location.search);
  return Object.fromEntries(keys.map((key) => [key, query.get(key) ?? '']));
}

/** Replaces the given keys (empty removes them), keeping every other parameter and the hash. */
export function setParams(values) {
  const query = new URLSearchParams(location.search);
  for (const [key, value] of Object.entries(values)) {
    if (value === '' || value == null) query.delete(key);
    else query.set(key, String(value));
  }
  const search = query.toString();
  const url = `${location.pathname}${search ? `?${search}` : ''}${location.hash}`;
  if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(history.state, '', url);
}

/** The service chosen in the top bar; every view narrows to it. */
export function service() {
  return param('service').trim();
}
