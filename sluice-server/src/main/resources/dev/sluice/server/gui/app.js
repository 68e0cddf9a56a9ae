// The GUI's shell: login, navigation by URL hash (#/dashboard, #/objects/servers/db1, …), and one page at a
// time. A page is a function (container, route) that may return a stop function, called when the page is left
// (it ends the page's polling).
import { get, login, logout, currentUser, ApiError } from './api.js';
import { h, fill, message } from './dom.js';
import { dashboard } from './dashboard.js';
import { topology } from './topology.js';
import { objects } from './objects.js';
import { sessions } from './sessions.js';
import { logs } from './logs.js';
import { sqlWorkspace } from './sql.js';
import { explain } from './explain.js';

const PAGES = [
  ['dashboard', 'Dashboard', dashboard],
  ['topology', 'Topology', topology],
  ['objects', 'Objects', objects],
  ['sessions', 'Sessions', sessions],
  ['logs', 'Logs', logs],
  ['sql', 'SQL', sqlWorkspace],
  ['explain', 'Explain', explain],
];

const root = document.getElementById('app');
let stopPage = null;
/** Who is logged in and whether the account may change things: { name, admin }. */
export const session = { name: null, admin: false };

function showLogin(reason) {
  if (stopPage) {
    stopPage();
    stopPage = null;
  }
  const msg = h('div', { id: 'login-message' });
  const user = h('input', { id: 'login-user', name: 'user', autocomplete: 'username', required: true });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password',
    autocomplete: 'current-password' });
  const button = h('button', { id: 'login-submit', type: 'submit' }, 'Log in');
  const form = h('form', { class: 'login-box', id: 'login-form' },
    h('h1', {}, 'Sluice'),
    h('label', {}, 'User', user),
    h('label', {}, 'Password', password),
    button, msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    message(msg, 'info', 'Logging in…');
    try {
      await login(user.value, password.value);
      await start();
    } catch (err) {
      message(msg, 'error', err.message);
      password.select();
    } finally {
      button.disabled = false;
    }
  });
  fill(root, h('div', { class: 'login-page' }, form));
  if (reason) {
    message(msg, 'error', reason);
  }
  user.focus();
}

async function start() {
  const name = currentUser();
  if (!name) {
    showLogin();
    return;
  }
  session.name = name;
  try {
    const me = await get('/v1/users/inet/' + encodeURIComponent(name));
    session.admin = me.data.attributes.account === 'admin';
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      showLogin('Your login has expired');
      return;
    }
    session.admin = false;
  }
  renderShell();
  route();
}

function renderShell() {
  const nav = h('nav', { class: 'nav', id: 'nav' },
    PAGES.map(([id, title]) => h('a', { href: '#/' + id, id: 'nav-' + id }, title)));
  const who = h('div', { class: 'who' },
    h('span', { id: 'who' }, session.name + (session.admin ? '' : ' (read-only)')),
    h('button', { class: 'secondary small', id: 'logout', onclick: () => {
      logout();
      location.hash = '';
      showLogin();
    } }, 'Log out'));
  fill(root, h('header', { class: 'top' }, h('div', { class: 'brand' }, 'Sluice'), nav, who),
    h('main', { id: 'page' }));
}

function route() {
  if (!session.name || !document.getElementById('page')) {
    return;
  }
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter((p) => p).map(decodeURIComponent);
  const entry = PAGES.find(([id]) => id === parts[0]) || PAGES[0];
  if (stopPage) {
    stopPage();
    stopPage = null;
  }
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.id === 'nav-' + entry[0]);
  }
  const page = document.getElementById('page');
  page.replaceChildren();
  page.dataset.page = entry[0];
  document.title = 'Sluice · ' + entry[1];
  const stop = entry[2](page, parts.slice(1), session);
  stopPage = typeof stop === 'function' ? stop : null;
}

window.addEventListener('hashchange', route);
window.addEventListener('sluice-logged-out', () => {
  if (session.name) {
    session.name = null;
    showLogin('Your login has expired; log in again');
  }
});
window.addEventListener('unhandledrejection', (e) => {
  // a failure no page caught: shown, never a silent dead page
  const page = document.getElementById('page');
  if (page) {
    const box = h('div');
    page.prepend(box);
    message(box, 'error', e.reason && e.reason.message ? e.reason.message : String(e.reason));
  }
  e.preventDefault();
});

start();
