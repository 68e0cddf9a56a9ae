// SQL workspace: connect to a listener or server with database credentials (the query API, /v1/sql), run
// statements, read the results as grids, and rerun an earlier statement from the history.
import { h, fill, table, message } from './dom.js';
import { SqlConnection, targetOptions } from './sqlconn.js';

let current = null; // the open connection: kept while the tab lives, across page changes
const HISTORY_SIZE = 30;

function historyKey(session) {
  return 'sluice-sql-history-' + session.name;
}

function loadHistory(session) {
  try {
    return JSON.parse(localStorage.getItem(historyKey(session)) || '[]');
  } catch (e) {
    return [];
  }
}

export function sqlWorkspace(page, route, session) {
  const msg = h('div', { id: 'sql-connect-message' });
  const target = h('select', { id: 'sql-target', 'aria-label': 'Target' });
  const user = h('input', { id: 'sql-user', autocomplete: 'off', 'aria-label': 'Database user' });
  const password = h('input', { id: 'sql-password', type: 'password', autocomplete: 'off',
    'aria-label': 'Database password' });
  const db = h('input', { id: 'sql-db', 'aria-label': 'Default database', placeholder: '(none)' });
  const connectButton = h('button', { id: 'sql-connect', type: 'submit' }, 'Connect');
  const status = h('div', { id: 'sql-status', class: 'muted' });
  const connectForm = h('form', { class: 'card inline-form', id: 'sql-connect-form' },
    h('label', {}, 'Target', target), h('label', {}, 'User', user), h('label', {}, 'Password', password),
    h('label', {}, 'Database', db), connectButton, msg);
  const editor = h('textarea', { id: 'sql-editor', rows: 5, spellcheck: 'false', 'aria-label': 'SQL',
    placeholder: 'SELECT …   (Ctrl+Enter runs)' });
  const run = h('button', { id: 'sql-run' }, 'Run');
  const disconnect = h('button', { id: 'sql-disconnect', class: 'secondary' }, 'Disconnect');
  const results = h('div', { id: 'sql-results' });
  const history = h('ol', { id: 'sql-history', class: 'history' });
  const work = h('div', { id: 'sql-work' }, h('div', { class: 'card' }, status, editor,
    h('div', { class: 'buttons' }, run, disconnect), results),
  h('section', { class: 'card' }, h('h3', {}, 'History'), history));
  fill(page, h('h2', {}, 'SQL workspace'), connectForm, work);

  const showState = () => {
    connectForm.hidden = !!current;
    work.hidden = !current;
    if (current) {
      fill(status, 'Connected to ', h('strong', {}, current.target), ' (connection ' + current.id.substring(0, 8)
        + '…)');
      editor.focus();
    }
  };
  const renderHistory = () => {
    fill(history, loadHistory(session).map((q) => h('li', {}, h('a', { href: '#', onclick: (e) => {
      e.preventDefault();
      editor.value = q;
      editor.focus();
    } }, q.length > 120 ? q.substring(0, 120) + '…' : q))));
  };

  targetOptions(target).catch((e) => message(msg, 'error', e.message));
  connectForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    connectButton.disabled = true;
    message(msg, 'info', 'Connecting…');
    try {
      current = await SqlConnection.open(target.value, user.value, password.value, db.value);
      message(msg, 'error', '');
      showState();
    } catch (err) {
      message(msg, 'error', err.message);
    } finally {
      connectButton.disabled = false;
    }
  });
  disconnect.addEventListener('click', async () => {
    const c = current;
    current = null;
    fill(results);
    showState();
    try {
      await c.close();
    } catch (e) {
      message(msg, 'error', 'Closing the connection: ' + e.message);
    }
  });
  const execute = async () => {
    const sql = editor.value.trim();
    if (!sql) {
      return;
    }
    run.disabled = true;
    fill(results, h('p', { class: 'muted' }, 'Running…'));
    try {
      const answer = await current.query(sql);
      fill(results, renderResults(answer));
      const past = loadHistory(session).filter((q) => q !== sql);
      past.unshift(sql);
      localStorage.setItem(historyKey(session), JSON.stringify(past.slice(0, HISTORY_SIZE)));
      renderHistory();
    } catch (e) {
      fill(results);
      const box = h('div');
      results.append(box);
      message(box, 'error', e.message);
      if (e.status === 404 || e.status === 503) {
        current = null;
        showState();
        message(msg, 'error', e.message);
      }
    } finally {
      run.disabled = false;
    }
  };
  run.addEventListener('click', execute);
  editor.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      execute();
    }
  });
  renderHistory();
  showState();
}

/** The results of one request: grids for result sets, a line for OKs, an error box for errors. */
export function renderResults(answer) {
  const out = [h('p', { class: 'muted', id: 'sql-timing' }, answer.results.length + ' result'
    + (answer.results.length === 1 ? '' : 's') + ' in ' + (answer.execution_time * 1000).toFixed(1) + ' ms')];
  answer.results.forEach((r, i) => {
    if (r.fields) {
      out.push(table(r.fields, r.data.map((row) => row.map((v) => (v === null ? h('span', { class: 'null' }, 'NULL')
        : String(v)))), { class: 'grid', 'data-result': i }));
      out.push(h('p', { class: 'muted' }, r.data.length + ' row' + (r.data.length === 1 ? '' : 's')
        + (r.complete ? '' : ' (more rows were cut off)')));
    }
    if (r.errno !== undefined) {
      out.push(h('div', { class: 'msg error sql-error', role: 'alert', 'data-result': i },
        'Error ' + r.errno + ' (' + r.sqlstate + '): ' + r.message));
    } else if (!r.fields) {
      out.push(h('p', { class: 'ok-result', 'data-result': i }, 'OK, ' + r.affected_rows + ' row'
        + (r.affected_rows === 1 ? '' : 's') + ' affected' + (r.last_insert_id ? ', last insert id '
        + r.last_insert_id : '') + (r.warnings ? ', ' + r.warnings + ' warning(s)' : '')));
    }
  });
  return out;
}
