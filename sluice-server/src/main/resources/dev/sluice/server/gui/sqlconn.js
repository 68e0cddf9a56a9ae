// A connection of the query API (/v1/sql) as the SQL and Explain pages share it: opened with database
// credentials to a server, listener or service; its token lives in this tab's memory only.
import { api, get } from './api.js';
import { h } from './dom.js';

export class SqlConnection {
  constructor(id, token, target) {
    this.id = id;
    this.token = token;
    this.target = target;
  }

  static async open(target, user, password, db) {
    const doc = await api('POST', '/v1/sql', { target, user, password, db: db || undefined, timeout: 10 });
    return new SqlConnection(doc.data.id, doc.meta.token, target);
  }

  /** Runs SQL; resolves to the results array of MaxScale's shape (result sets, OKs and errors). */
  async query(sql, maxRows) {
    const doc = await api('POST', '/v1/sql/' + this.id + '/queries?token=' + encodeURIComponent(this.token),
      { sql, max_rows: maxRows === undefined ? 1000 : maxRows });
    return doc.data.attributes;
  }

  async close() {
    await api('DELETE', '/v1/sql/' + this.id + '?token=' + encodeURIComponent(this.token));
  }
}

/** The targets one can connect to, grouped: listeners first (through Sluice), then servers (direct). */
export async function targetOptions(select, filter) {
  const [listeners, servers, services] = await Promise.all([get('/v1/listeners'), get('/v1/servers'),
    get('/v1/services')]);
  const routers = new Map(services.data.map((s) => [s.id, s.attributes.router]));
  const groups = [];
  const ls = listeners.data.filter((l) => !filter || filter(routers.get(l.attributes.parameters.service)));
  if (ls.length) {
    groups.push(h('optgroup', { label: 'Listeners (through Sluice)' }, ls.map((l) => h('option', { value: l.id },
      l.id + ' → ' + l.attributes.parameters.service + ' (' + routers.get(l.attributes.parameters.service) + ')'))));
  }
  if (!filter) {
    groups.push(h('optgroup', { label: 'Servers (direct)' }, servers.data.map((s) => h('option', { value: s.id },
      s.id + ' (' + s.attributes.state + ')'))));
  }
  select.replaceChildren(...groups);
}
