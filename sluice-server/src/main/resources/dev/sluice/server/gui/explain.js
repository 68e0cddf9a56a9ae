// Explain: where readwritesplit would send a statement and why, without running it. The statement goes as
// "/* sluice explain */ STATEMENT" through a query-API connection to a readwritesplit listener; the router
// answers with one row (target, server, reason). The classifier's view is shown beside it.
import { get } from './api.js';
import { h, fill, table, message } from './dom.js';
import { SqlConnection, targetOptions } from './sqlconn.js';

let connection = null; // kept while the tab lives: an explain session, like a client's

export function explain(page) {
  const msg = h('div', { id: 'explain-message' });
  const target = h('select', { id: 'explain-target', 'aria-label': 'readwritesplit listener' });
  const user = h('input', { id: 'explain-user', autocomplete: 'off', 'aria-label': 'Database user' });
  const password = h('input', { id: 'explain-password', type: 'password', autocomplete: 'off',
    'aria-label': 'Database password' });
  const statement = h('textarea', { id: 'explain-sql', rows: 4, spellcheck: 'false', 'aria-label': 'Statement',
    placeholder: 'SELECT * FROM t WHERE id = 1' });
  const go = h('button', { id: 'explain-run', type: 'submit' }, 'Explain');
  const answer = h('div', { id: 'explain-answer' });
  const form = h('form', { class: 'card', id: 'explain-form' },
    h('p', { class: 'muted' }, 'Shows where a readwritesplit service would route a statement, and why, '
      + 'without running it. Nothing is run, so each statement is judged as in a session with no open '
      + 'transaction (a BEGIN, SET or USE is explained, not applied).'),
    h('div', { class: 'inline-form' }, h('label', {}, 'Listener', target), h('label', {}, 'User', user),
      h('label', {}, 'Password', password)),
    statement, h('div', { class: 'buttons' }, go), msg, answer);
  fill(page, h('h2', {}, 'Explain routing'), form);
  targetOptions(target, (router) => router === 'readwritesplit')
    .then(() => {
      if (!target.options.length) {
        message(msg, 'error', 'No listener of a readwritesplit service: nothing to explain with.');
      }
    }).catch((e) => message(msg, 'error', e.message));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const sql = statement.value.trim().replace(/;+$/, '');
    if (!sql) {
      message(msg, 'error', 'Write the statement to explain.');
      return;
    }
    go.disabled = true;
    message(msg, 'info', 'Asking the router…');
    try {
      if (!connection || connection.target !== target.value || connection.user !== user.value) {
        if (connection) {
          connection.close().catch(() => {});
        }
        connection = await SqlConnection.open(target.value, user.value, password.value);
        connection.user = user.value;
      }
      const [routed, classified] = await Promise.all([connection.query('/* sluice explain */ ' + sql),
        get('/v1/maxscale/query_classifier/classify?sql=' + encodeURIComponent(sql)).catch(() => null)]);
      const r = routed.results[0];
      if (r.errno !== undefined) {
        throw new Error('Error ' + r.errno + ': ' + r.message);
      }
      const row = Object.fromEntries(r.fields.map((f, i) => [f, r.data[0][i]]));
      const parts = [h('div', { class: 'explain-result', id: 'explain-result' },
        table(['Target', 'Server', 'Reason'], [[h('strong', {}, String(row.target)), String(row.server),
          String(row.reason)]]))];
      if (classified && classified.data) {
        const c = classified.data.attributes.parameters || classified.data.attributes;
        parts.push(h('h4', {}, 'Classifier'), table(Object.keys(c), [Object.values(c).map((v) => (Array.isArray(v)
          ? v.join(', ') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)))]));
      }
      fill(answer, parts);
      message(msg, 'error', '');
    } catch (err) {
      fill(answer);
      message(msg, 'error', err.message);
      if (err.status === 404 || err.status === 503) {
        connection = null;
      }
    } finally {
      go.disabled = false;
    }
  });
}
