// Logs: the last lines Sluice logged (GET /v1/maxscale/logs/entries), newest first, with a level filter and a
// search, followed live while "Follow" is on.
import { get } from './api.js';
import { h, fill, table, message } from './dom.js';
import { poll } from './poll.js';

const LEVELS = ['debug', 'notice', 'warning', 'error'];

export function logs(page) {
  const msg = h('div', { id: 'logs-message' });
  const level = h('select', { id: 'logs-level', 'aria-label': 'Lowest level' },
    LEVELS.map((l) => h('option', { value: l, selected: l === 'notice' }, l + ' and above')));
  const search = h('input', { id: 'logs-search', type: 'search', placeholder: 'Search', 'aria-label': 'Search' });
  const follow = h('input', { id: 'logs-follow', type: 'checkbox', checked: true });
  const body = h('div', { id: 'logs-body' });
  fill(page, h('h2', {}, 'Logs'), h('div', { class: 'toolbar' }, level, search,
    h('label', { class: 'check' }, follow, 'Follow')), msg, body);
  let entries = [];

  const render = () => {
    const q = search.value.trim().toLowerCase();
    const shown = entries.filter((e) => !q || (e.message + ' ' + e.module).toLowerCase().includes(q)).reverse();
    fill(body, shown.length ? table(['Time', 'Level', 'Module', 'Message'], shown.map((e) => h('tr',
      { class: 'log-' + e.priority, 'data-log': e.id },
      h('td', { class: 'nowrap' }, e.timestamp.replace('T', ' ').replace('Z', '')),
      h('td', {}, e.priority), h('td', { class: 'module' }, e.module.replace(/^dev\.sluice\./, '')),
      h('td', { class: 'log-message' }, e.message))), { id: 'logs-table' })
      : h('p', { class: 'muted' }, 'No log line matches.'));
  };
  const load = async () => {
    try {
      const doc = await get('/v1/maxscale/logs/entries?page[size]=500&priority=' + encodeURIComponent(level.value));
      entries = doc.data.map((d) => d.attributes);
      message(msg, 'error', '');
      render();
    } catch (e) {
      message(msg, 'error', 'Cannot read the log: ' + e.message);
    }
  };
  level.addEventListener('change', load);
  search.addEventListener('input', render);
  return poll(async () => {
    if (follow.checked || !entries.length) {
      await load();
    }
  });
}
