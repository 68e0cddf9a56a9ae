// Topology: each monitor's cluster as a graph (primary on top, replicas below, replication arrows with lag),
// and the operations on a chosen server: switchover to it, maintenance and drain on or off (confirmed first).
import { api, get } from './api.js';
import { h, fill, stateBadge, message, confirmDialog } from './dom.js';
import { poll } from './poll.js';

const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    el.setAttribute(k, v);
  }
  if (text !== undefined) {
    el.textContent = text;
  }
  return el;
}

export function topology(page, route, session) {
  const status = h('div', { id: 'topology-message' });
  const graphs = h('div', { id: 'topology-graphs' });
  const actions = h('div', { id: 'topology-actions', class: 'card' },
    h('p', { class: 'muted' }, 'Choose a server in the graph for its operations.'));
  fill(page, h('h2', {}, 'Topology'), status, graphs, actions);
  // kept across re-renders of the actions, so an operation's outcome stays visible after the refresh
  const actionMessage = h('div', { id: 'action-message' });
  let selected = null;
  let latest = { monitors: [], servers: new Map() };

  const refresh = async () => {
    try {
      const [monitors, servers] = await Promise.all([get('/v1/monitors'), get('/v1/servers?fields[servers]=state,'
        + 'replication_lag,parameters/address,parameters/port,statistics/connections')]);
      latest = { monitors: monitors.data, servers: new Map(servers.data.map((s) => [s.id, s])) };
      draw();
      if (selected) {
        renderActions();
      }
    } catch (e) {
      message(status, 'error', 'Cannot read the topology: ' + e.message);
    }
  };

  const draw = () => {
    const cards = latest.monitors.map((m) => clusterGraph(m, latest.servers, (name) => {
      selected = { server: name, monitor: m.id, module: m.attributes.module };
      message(actionMessage, 'info', '');
      renderActions();
    }));
    const monitored = new Set(latest.monitors.flatMap((m) => ((m.relationships.servers || {}).data || [])
      .map((x) => x.id)));
    const loose = [...latest.servers.keys()].filter((n) => !monitored.has(n));
    if (loose.length) {
      cards.push(h('section', { class: 'card' }, h('h3', {}, 'Servers without a monitor'),
        h('p', {}, loose.map((n) => h('span', { class: 'loose' }, n + ' ', stateBadge(latest.servers.get(n)
          .attributes.state))))));
    }
    fill(graphs, cards.length ? cards : h('p', { class: 'muted' }, 'No monitors: nothing to draw.'));
  };

  const renderActions = () => {
    const name = selected.server;
    const server = latest.servers.get(name);
    if (!server) {
      fill(actions, h('p', { class: 'muted' }, name + ' no longer exists.'));
      return;
    }
    const state = server.attributes.state;
    const msg = actionMessage;
    const act = (label, id, question, run, danger) => h('button', {
      id, class: danger ? 'danger' : '', disabled: !session.admin,
      title: session.admin ? '' : 'Needs an admin account',
      onclick: async () => {
        if (!(await confirmDialog(question, label))) {
          return;
        }
        // one operation at a time: a switchover can take seconds, a second click must not send it twice
        const buttons = actions.querySelectorAll('button');
        buttons.forEach((b) => { b.disabled = true; });
        message(msg, 'info', label + '…');
        try {
          const answer = await run();
          message(msg, 'ok', (answer && answer.meta && answer.meta.message) || label + ': done');
          await refresh();
        } catch (e) {
          message(msg, 'error', label + ' failed: ' + e.message);
        } finally {
          buttons.forEach((b) => { b.disabled = !session.admin; });
        }
      },
    }, label);
    const buttons = [];
    const path = '/v1/servers/' + encodeURIComponent(name);
    if (/Maintenance/.test(state)) {
      buttons.push(act('Clear maintenance', 'clear-maintenance', 'Take ' + name + ' out of maintenance?',
        () => api('PUT', path + '/clear?state=maintenance')));
    } else {
      buttons.push(act('Set maintenance', 'set-maintenance', 'Put ' + name + ' into maintenance? Routers stop '
        + 'using it at once.', () => api('PUT', path + '/set?state=maintenance'), true));
    }
    if (/Drain/.test(state)) {
      buttons.push(act('Clear drain', 'clear-drain', 'Stop draining ' + name + '?',
        () => api('PUT', path + '/clear?state=drain')));
    } else {
      buttons.push(act('Drain', 'set-drain', 'Drain ' + name + '? It gets no new connections; existing ones '
        + 'finish.', () => api('PUT', path + '/set?state=drain'), true));
    }
    if (/^(mariadbmon|mysqlmon)$/.test(selected.module) && !/Master/.test(state)) {
      buttons.push(act('Make primary (switchover)', 'switchover', 'Switch the primary of ' + selected.monitor
        + ' over to ' + name + '? Writes pause while it runs.',
      () => api('POST', '/v1/maxscale/modules/' + selected.module + '/switchover?' + encodeURIComponent(selected.monitor)
          + '&' + encodeURIComponent(name)), true));
    }
    fill(actions, h('h3', {}, name, ' ', stateBadge(state)),
      h('p', {}, h('a', { href: '#/objects/servers/' + encodeURIComponent(name) }, 'All parameters of ' + name)),
      h('div', { class: 'buttons' }, buttons), msg);
  };

  return poll(refresh);
}

/** One monitor's servers as an SVG graph; primaries (servers others replicate from) in the first row. */
function clusterGraph(monitor, servers, onPick) {
  const diag = monitor.attributes.monitor_diagnostics || {};
  const names = ((monitor.relationships.servers || {}).data || []).map((x) => x.id);
  const byId = new Map();
  const edges = [];
  for (const d of diag.server_info || diag.servers || []) {
    if (d.server_id !== undefined) {
      byId.set(d.server_id, d.name);
    }
  }
  for (const d of diag.server_info || diag.servers || []) {
    for (const c of d.slave_connections || []) {
      const source = byId.get(c.master_server_id);
      if (source) {
        edges.push({ from: source, to: d.name, lag: c.seconds_behind_master,
          ok: /^yes$/i.test(c.slave_io_running) && /^yes$/i.test(c.slave_sql_running) });
      }
    }
  }
  const sources = new Set(edges.map((e) => e.from));
  const replicas = new Set(edges.map((e) => e.to));
  const top = names.filter((n) => sources.has(n) && !replicas.has(n) || /Master/.test(stateOf(servers, n)));
  const rest = names.filter((n) => !top.includes(n));
  const rows = [top.length ? top : [], rest];
  const W = 200;
  const H = 64;
  const GAP = 30;
  const width = Math.max(...rows.map((r) => r.length), 1) * (W + GAP) + GAP;
  const height = 2 * H + 110;
  const pos = new Map();
  rows.forEach((row, r) => row.forEach((n, i) => {
    const offset = (width - row.length * (W + GAP) + GAP) / 2;
    pos.set(n, { x: offset + i * (W + GAP), y: 20 + r * (H + 70) });
  }));
  const g = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, class: 'topology', role: 'img',
    'aria-label': 'Replication graph of ' + monitor.id, width: '100%' });
  const defs = svg('defs', {});
  const marker = svg('marker', { id: 'arrow-' + monitor.id, viewBox: '0 0 10 10', refX: 9, refY: 5,
    markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M0 0L10 5L0 10z', class: 'arrowhead' }));
  defs.append(marker);
  g.append(defs);
  for (const e of edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) {
      continue;
    }
    const x1 = a.x + W / 2;
    const y1 = a.y + H;
    const x2 = b.x + W / 2;
    const y2 = b.y;
    g.append(svg('line', { x1, y1, x2, y2, class: 'edge' + (e.ok ? '' : ' broken'),
      'marker-end': 'url(#arrow-' + monitor.id + ')', 'data-edge': e.from + '->' + e.to }));
    // the label near the replica's end, on the outer side of the arrow, so that two labels never overlap
    const right = x2 >= x1;
    g.append(svg('text', { x: x1 + (x2 - x1) * 0.7 + (right ? 8 : -8), y: y1 + (y2 - y1) * 0.7,
      'text-anchor': x2 === x1 ? 'start' : right ? 'start' : 'end', class: 'edge-label' },
      e.ok ? 'lag ' + (e.lag === null || e.lag === undefined ? '?' : e.lag + ' s') : 'replication stopped'));
  }
  for (const n of names) {
    const p = pos.get(n);
    const state = stateOf(servers, n);
    const node = svg('g', { class: 'node ' + stateClass(state), id: 'topo-node-' + n, tabindex: 0,
      role: 'button', 'data-state': state, transform: 'translate(' + p.x + ',' + p.y + ')' });
    node.append(svg('rect', { width: W, height: H, rx: 8 }));
    node.append(svg('text', { x: 10, y: 22, class: 'node-name' }, n));
    node.append(svg('text', { x: 10, y: 42, class: 'node-state' }, state));
    const s = servers.get(n);
    if (s) {
      node.append(svg('text', { x: 10, y: 57, class: 'node-detail' }, s.attributes.parameters.address + ':'
        + s.attributes.parameters.port + ' · ' + s.attributes.statistics.connections + ' conn'));
    }
    node.addEventListener('click', () => onPick(n));
    node.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        onPick(n);
      }
    });
    g.append(node);
  }
  return h('section', { class: 'card', 'data-monitor': monitor.id },
    h('h3', {}, monitor.id + ' (' + monitor.attributes.module + ') ', stateBadge(monitor.attributes.state)),
    h('div', { class: 'graph-wrap' }, g));
}

function stateOf(servers, name) {
  const s = servers.get(name);
  return s ? s.attributes.state : 'unknown';
}

function stateClass(state) {
  return /Down/.test(state) ? 'down' : /Maintenance|Drain/.test(state) ? 'maint'
    : /Master/.test(state) ? 'primary' : 'replica';
}
