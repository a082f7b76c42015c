// DOM helpers. Every string shown comes from observed applications and is
// untrusted, so nodes are only ever filled through textContent / attributes.

export const $ = (id) => document.getElementById(id);

export function el(tag, { className, text, title, attrs, dataset, on } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = String(text);
  if (title != null) node.title = String(title);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value != null && value !== false) node.setAttribute(name, value === true ? '' : String(value));
  }
  Object.assign(node.dataset, dataset ?? {});
  for (const [type, handler] of Object.entries(on ?? {})) node.addEventListener(type, handler);
  node.append(...children.filter((c) => c != null && c !== false));
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs = {}, children = []) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value != null) node.setAttribute(name, String(value));
  }
  node.append(...children.filter(Boolean));
  return node;
}

/** A link into the app (hash route); kept as a real <a> so it works with keyboard and middle-click. */
export function link(href, text, className) {
  return el('a', { className, text, attrs: { href } });
}

/** Makes table rows reachable by keyboard: Enter opens, arrows move between rows. */
export function keyboardRows(tbody, open) {
  tbody.addEventListener('keydown', (event) => {
    const row = event.target.closest?.('tr[tabindex]');
    if (!row) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      open(row);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      let next = event.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling;
      while (next && !next.hasAttribute('tabindex')) {
        next = event.key === 'ArrowDown' ? next.nextElementSibling : next.previousElementSibling;
      }
      next?.focus();
    }
  });
  tbody.addEventListener('click', (event) => {
    if (event.target.closest('a, button, summary')) return; // their own action wins
    const row = event.target.closest('tr[tabindex]');
    if (row && !window.getSelection()?.toString()) open(row);
  });
}

export function setEmpty(node, message) {
  node.textContent = message ?? '';
  node.hidden = !message;
}
