// Dashboard: live graphs from the REST API (rates are differences between two polls) and every object's state.
import { get } from './api.js';
import { h, fill, table, stateBadge, message, formatNumber } from './dom.js';
import { LineChart } from './chart.js';
import { poll } from './poll.js';

// Every 5 s: four small documents per poll (no sparse fieldsets: those make the server parse its answer again),
// and none while the tab is hidden.
const INTERVAL_MS = 5000;

function sumDistribution(stats, operation) {
  const d = stats && stats.response_time_distribution && stats.response_time_distribution[operation];
  let count = 0;
  let total = 0;
  for (const b of (d && d.distribution) || []) {
    count += b.count;
    total += b.total;
  }
  return { count, total };
}

export function dashboard(page) {
  const error = h('div', { id: 'dashboard-error' });
  const charts = h('div', { class: 'charts' });
  const chart = (id, title, unit) => {
    const el = h('div', { id });
    charts.append(el);
    return new LineChart(el, title, { unit });
  };
  const sessionsChart = chart('chart-sessions', 'Sessions and backend connections');
  const qpsChart = chart('chart-qps', 'Queries per second');
  const rwChart = chart('chart-rw', 'Read / write split (replies per second)');
  const loadChart = chart('chart-load', 'Per-server load (requests per second)');
  const timeChart = chart('chart-response', 'Per-server response time', ' ms');
  const threadChart = chart('chart-threads', 'Sessions per routing thread');
  const lists = h('div', { class: 'lists' });
  fill(page, h('h2', {}, 'Dashboard'), error, charts, lists);

  let previous = null;
  let others = { listeners: [], monitors: [], filters: [], at: 0 };
  let first = true;

  const tick = async () => {
    try {
      const now = performance.now();
      // listeners, monitors and filters change rarely: read every 15 s, in the same round trip as the rest
      const slow = Date.now() - others.at > 15000;
      const [servers, services, threads, listeners, monitors, filters] = await Promise.all([
        get('/v1/servers'), get('/v1/services'), get('/v1/maxscale/threads'),
        slow ? get('/v1/listeners') : null, slow ? get('/v1/monitors') : null, slow ? get('/v1/filters') : null]);
      if (slow) {
        others = { listeners: listeners.data, monitors: monitors.data, filters: filters.data, at: Date.now() };
      }
      const sample = {
        at: now,
        routed: services.data.reduce((a, s) => a + (s.attributes.statistics.routed_packets || 0), 0),
        reads: 0,
        writes: 0,
        perServer: {},
      };
      for (const s of servers.data) {
        const st = s.attributes.statistics;
        const r = sumDistribution(st, 'read');
        const w = sumDistribution(st, 'write');
        sample.reads += r.count;
        sample.writes += w.count;
        sample.perServer[s.id] = { packets: st.routed_packets, count: r.count + w.count, total: r.total + w.total };
      }
      const sessions = services.data.reduce((a, s) => a + s.attributes.connections, 0);
      sessionsChart.push({
        sessions,
        'backend connections': servers.data.reduce((a, s) => a + s.attributes.statistics.connections, 0),
      });
      const threadValues = {};
      for (const t of threads.data) {
        threadValues['thread ' + t.id] = t.attributes.stats.sessions;
      }
      threadChart.push(threadValues);
      if (previous) {
        const dt = (now - previous.at) / 1000;
        qpsChart.push({ QPS: Math.max(0, (sample.routed - previous.routed) / dt) });
        rwChart.push({ reads: Math.max(0, (sample.reads - previous.reads) / dt),
          writes: Math.max(0, (sample.writes - previous.writes) / dt) });
        const load = {};
        const time = {};
        for (const [name, cur] of Object.entries(sample.perServer)) {
          const old = previous.perServer[name];
          if (!old) {
            continue;
          }
          load[name] = Math.max(0, (cur.packets - old.packets) / dt);
          const n = cur.count - old.count;
          time[name] = n > 0 ? ((cur.total - old.total) / n) * 1000 : 0;
        }
        loadChart.push(load);
        timeChart.push(time);
      }
      previous = sample;
      renderLists(lists, servers.data, services.data, others, sessions);
      message(error, 'error', '');
      if (first) {
        first = false;
        performance.mark('sluice-dashboard-ready');
        page.dataset.ready = 'true';
      }
    } catch (e) {
      message(error, 'error', 'Cannot refresh the dashboard: ' + e.message);
    }
  };
  return poll(tick, INTERVAL_MS);
}

function link(type, id) {
  return h('a', { href: '#/objects/' + type + '/' + encodeURIComponent(id) }, id);
}

function renderLists(el, servers, services, others, sessions) {
  const serverRows = servers.map((s) => {
    const a = s.attributes;
    return h('tr', { 'data-server': s.id },
      h('td', {}, link('servers', s.id)),
      h('td', {}, a.parameters.socket || (a.parameters.address + ':' + a.parameters.port)),
      h('td', { class: 'state' }, stateBadge(a.state)),
      h('td', { class: 'num' }, formatNumber(a.statistics.connections)),
      h('td', { class: 'num' }, a.replication_lag === undefined || a.replication_lag < 0 ? '—'
        : a.replication_lag + ' s'));
  });
  fill(el,
    section('Servers', table(['Server', 'Address', 'State', 'Connections', 'Lag'], serverRows,
      { id: 'servers-table' })),
    section('Services', table(['Service', 'Router', 'State', 'Sessions', 'Requests routed'], services.map((s) => [
      link('services', s.id), s.attributes.router, stateBadge(s.attributes.state),
      formatNumber(s.attributes.connections), formatNumber(s.attributes.statistics.routed_packets)]),
    { id: 'services-table' })),
    section('Listeners', table(['Listener', 'Where', 'State', 'Service'], others.listeners.map((l) => [
      link('listeners', l.id), l.attributes.description || '', stateBadge(l.attributes.state),
      l.attributes.parameters.service]))),
    section('Monitors', table(['Monitor', 'Module', 'State', 'Servers'], others.monitors.map((m) => [
      link('monitors', m.id), m.attributes.module, stateBadge(m.attributes.state),
      ((m.relationships.servers || {}).data || []).map((x) => x.id).join(', ')]))),
    section('Filters', others.filters.length ? table(['Filter', 'Module'], others.filters.map((f) => [
      link('filters', f.id), f.attributes.module])) : h('p', { class: 'muted' }, 'No filters.')),
    section('Sessions', h('p', {}, h('a', { href: '#/sessions', id: 'sessions-count' },
      sessions + (sessions === 1 ? ' session' : ' sessions')))));
}

function section(title, body) {
  return h('section', { class: 'card' }, h('h3', {}, title), body);
}
