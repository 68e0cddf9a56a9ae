// Sessions: who is connected, from where, through which listener to which backends; kill one (confirmed).
import { api, get } from './api.js';
import { h, fill, table, message, confirmDialog, formatNumber } from './dom.js';
import { poll } from './poll.js';

export function sessions(page, route, session) {
  const msg = h('div', { id: 'sessions-message' });
  const body = h('div', { id: 'sessions-body' });
  fill(page, h('h2', {}, 'Sessions'), msg, body);
  const refresh = async () => {
    let doc;
    try {
      doc = await get('/v1/sessions');
    } catch (e) {
      message(msg, 'error', 'Cannot list the sessions: ' + e.message);
      return;
    }
    if (!doc.data.length) {
      fill(body, h('p', { class: 'muted', id: 'no-sessions' }, 'No client is connected.'));
      return;
    }
    fill(body, table(['Id', 'User', 'From', 'Service', 'Listener', 'Backends', 'Connected', 'Idle', 'Queries',
      'Thread', ''], doc.data.map((s) => {
      const a = s.attributes;
      const rel = s.relationships || {};
      const ids = (r) => ((rel[r] || {}).data || []).map((x) => x.id).join(', ');
      return h('tr', { 'data-session': s.id },
        h('td', {}, s.id), h('td', {}, a.user), h('td', {}, a.remote), h('td', {}, ids('services')),
        h('td', {}, a.listener), h('td', { class: 'backends' }, ids('servers') || '—'),
        h('td', {}, a.connected), h('td', { class: 'num' }, formatNumber(a.idle) + ' s'),
        h('td', { class: 'num' }, formatNumber(a.query_count !== undefined ? a.query_count : a.queries)), h('td', { class: 'num' }, a.thread),
        h('td', {}, session.admin ? h('button', { class: 'danger small', 'data-kill': s.id, onclick: async () => {
          if (!(await confirmDialog('Kill session ' + s.id + ' of ' + a.user + '@' + a.remote
            + '? Its client gets error 1927 and is disconnected.', 'Kill'))) {
            return;
          }
          try {
            await api('DELETE', '/v1/sessions/' + s.id);
            message(msg, 'ok', 'Session ' + s.id + ' killed.');
            refresh();
          } catch (e) {
            message(msg, 'error', 'Cannot kill session ' + s.id + ': ' + e.message);
          }
        } }, 'Kill') : ''));
    }), { id: 'sessions-table' }));
  };
  return poll(refresh);
}
