// Small DOM helpers: elements from a tag, attributes and children; text is always text (never parsed as HTML).

/** h('div', {class: 'x', onclick: f}, 'text', child, [more]) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) {
      continue;
    }
    if (k.startsWith('on')) {
      el.addEventListener(k.substring(2), v);
    } else if (k === 'value') {
      el.value = v;
    } else {
      el.setAttribute(k, v === true ? '' : v);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) {
      continue;
    }
    if (Array.isArray(c)) {
      append(el, c);
    } else {
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }
}

/** Replaces the element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A table: headers and rows of cells (text or nodes). */
export function table(headers, rows, attrs) {
  return h('div', { class: 'table-wrap' }, h('table', attrs || {},
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', {}, x)))),
    h('tbody', {}, rows.map((r) => (r instanceof Node ? r : h('tr', {}, r.map((c) => h('td', {}, c))))))));
}

/** A state badge: the state text, coloured by its most telling word. */
export function stateBadge(state) {
  const s = String(state || '');
  const cls = /Down|Stopped|Failed|Exhausted/.test(s) ? 'bad'
    : /Maintenance|Draining|Drained/.test(s) ? 'warn'
      : /Master/.test(s) ? 'primary' : /Slave|Running|Started|Active|Synced/.test(s) ? 'ok' : '';
  return h('span', { class: 'badge ' + cls, 'data-state': s }, s || '—');
}

/** A message line under a form: kind is 'error' or 'ok'. */
export function message(el, kind, text) {
  fill(el, text ? h('div', { class: 'msg ' + kind, role: kind === 'error' ? 'alert' : 'status' }, text) : '');
}

/** Asks for confirmation in a small dialog of our own (window.confirm blocks the page and the tests). */
export function confirmDialog(text, okLabel) {
  return new Promise((resolve) => {
    const close = (answer) => {
      dialog.remove();
      resolve(answer);
    };
    const dialog = h('div', { class: 'modal', role: 'dialog', 'aria-modal': 'true' },
      h('div', { class: 'modal-box' },
        h('p', {}, text),
        h('div', { class: 'buttons' },
          h('button', { class: 'secondary', id: 'confirm-cancel', onclick: () => close(false) }, 'Cancel'),
          h('button', { class: 'danger', id: 'confirm-ok', onclick: () => close(true) }, okLabel || 'OK'))));
    document.body.append(dialog);
    dialog.querySelector('#confirm-ok').focus();
  });
}

export function formatNumber(n) {
  if (n === null || n === undefined || Number.isNaN(n)) {
    return '—';
  }
  if (Math.abs(n) >= 1e6) {
    return (n / 1e6).toFixed(1) + 'M';
  }
  if (Math.abs(n) >= 1e4) {
    return (n / 1e3).toFixed(1) + 'k';
  }
  return Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1);
}
