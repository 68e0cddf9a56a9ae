// Objects: lists of servers, services, listeners, monitors and filters; a page per object with every parameter
// from its module spec (type, default, whether it can change at runtime), editing, links, start/stop and
// destroy; and a form to create one. Every refusal shows the REST API's own message next to the form.
import { api, get } from './api.js';
import { h, fill, table, stateBadge, message, confirmDialog } from './dom.js';

const TYPES = ['servers', 'services', 'listeners', 'monitors', 'filters'];
const SINGULAR = { servers: 'server', services: 'service', listeners: 'listener', monitors: 'monitor',
  filters: 'filter' };
/** Parameters that are relationships: changed by linking, not in the parameter table. */
const LINK_PARAMS = new Set(['servers', 'targets', 'cluster', 'filters', 'service', 'router', 'module', 'type']);
/** Relationships a PATCH …/relationships/NAME may change, per type. */
const EDITABLE_LINKS = {
  servers: ['services', 'monitors'],
  services: ['servers', 'filters', 'listeners'],
  listeners: ['services'],
  monitors: ['servers'],
  filters: [],
};

const specCache = new Map();

async function spec(module) {
  if (!specCache.has(module)) {
    specCache.set(module, get('/v1/maxscale/modules/' + encodeURIComponent(module))
      .then((d) => d.data.attributes.parameters || []));
  }
  return specCache.get(module);
}

/** The parameter spec of an object: its core type's, then its router's or module's. */
async function specFor(type, module) {
  const core = type === 'filters' ? [] : await spec(type);
  const own = module ? await spec(module) : [];
  const seen = new Set();
  return [...core, ...own].filter((p) => !seen.has(p.name) && seen.add(p.name));
}

export function objects(page, route, session) {
  if (route[0] === 'new' && TYPES.includes(route[1])) {
    createForm(page, route[1], session);
  } else if (TYPES.includes(route[0]) && route[1]) {
    detail(page, route[0], route[1], session);
  } else {
    list(page, TYPES.includes(route[0]) ? [route[0]] : TYPES, session);
  }
}

async function list(page, types, session) {
  const body = h('div', { class: 'lists' });
  fill(page, h('h2', {}, 'Objects'), h('p', { class: 'tabs' }, TYPES.map((t) => h('a', { href: '#/objects/' + t },
    t))), body);
  for (const type of types) {
    const card = h('section', { class: 'card', id: 'list-' + type },
      h('div', { class: 'card-head' }, h('h3', {}, type[0].toUpperCase() + type.substring(1)),
        session.admin ? h('a', { class: 'button small', href: '#/objects/new/' + type, id: 'create-' + type },
          'Create ' + SINGULAR[type]) : ''));
    body.append(card);
    try {
      const doc = await get('/v1/' + type);
      card.append(doc.data.length ? table(['Name', 'State', 'Module', 'Related'], doc.data.map((o) => [
        h('a', { href: '#/objects/' + type + '/' + encodeURIComponent(o.id) }, o.id),
        o.attributes.state ? stateBadge(o.attributes.state) : '',
        o.attributes.router || o.attributes.module || '',
        Object.entries(o.relationships || {}).map(([k, v]) => k + ': ' + (v.data || []).map((x) => x.id)
          .join(', ')).join('; '),
      ])) : h('p', { class: 'muted' }, 'None.'));
    } catch (e) {
      const m = h('div');
      card.append(m);
      message(m, 'error', e.message);
    }
  }
}

/** Marks the rows of the parameters a refusal names: the message stands next to what caused it. */
function markRows(container, keys, text) {
  for (const key of keys) {
    const row = container.querySelector('tr[data-param="' + CSS.escape(key) + '"]');
    if (row && text.includes("'" + key + "'")) {
      row.classList.add('error');
    }
  }
}

function valueText(v) {
  if (v === null || v === undefined) {
    return '';
  }
  return Array.isArray(v) ? v.join(',') : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function input(p, value, editable) {
  const attrs = { id: 'param-' + p.name, name: p.name, 'data-original': value, disabled: !editable,
    'aria-label': p.name };
  if (p.type === 'bool' || p.type === 'boolean') {
    return h('select', attrs, ['true', 'false'].map((v) => h('option', { value: v, selected: v === value }, v)));
  }
  if (p.enum_values && p.enum_values.length && p.type === 'enum') {
    const values = p.enum_values.includes(value) || value === '' ? p.enum_values : [value, ...p.enum_values];
    return h('select', attrs, (value === '' ? [''] : []).concat(values).map((v) => h('option',
      { value: v, selected: v === value }, v)));
  }
  return h('input', { ...attrs, value, placeholder: valueText(p.default_value) });
}

async function detail(page, type, name, session) {
  const head = h('div', { class: 'card-head' });
  const msg = h('div', { id: 'object-message' });
  const links = h('section', { class: 'card', id: 'relationships' });
  const params = h('section', { class: 'card', id: 'parameters' });
  fill(page, h('p', {}, h('a', { href: '#/objects/' + type }, '← ' + type)), head, msg, links, params);
  const path = '/v1/' + type + '/' + encodeURIComponent(name);
  let doc;
  try {
    doc = (await get(path)).data;
  } catch (e) {
    message(msg, 'error', e.message);
    return;
  }
  const a = doc.attributes;
  const buttons = [];
  if (session.admin && ['services', 'listeners', 'monitors'].includes(type)) {
    const stopped = /Stopped/.test(a.state || '');
    buttons.push(h('button', { class: 'secondary', id: stopped ? 'start' : 'stop', onclick: async () => {
      try {
        await api('PUT', path + (stopped ? '/start' : '/stop'));
        detail(page, type, name, session);
      } catch (e) {
        message(msg, 'error', e.message);
      }
    } }, stopped ? 'Start' : 'Stop'));
  }
  if (session.admin) {
    buttons.push(h('button', { class: 'danger', id: 'destroy', onclick: async () => {
      if (!(await confirmDialog('Destroy ' + SINGULAR[type] + ' ' + name + '? This cannot be undone.', 'Destroy'))) {
        return;
      }
      try {
        await api('DELETE', path);
        location.hash = '#/objects/' + type;
      } catch (e) {
        message(msg, 'error', 'Cannot destroy ' + name + ': ' + e.message);
      }
    } }, 'Destroy'));
  }
  fill(head, h('h2', {}, SINGULAR[type] + ' ' + name + ' ', a.state ? stateBadge(a.state) : ''),
    h('div', { class: 'buttons' }, buttons));
  renderLinks(links, type, name, doc, session, () => detail(page, type, name, session));
  const module = a.router || a.module;
  const specs = await specFor(type, module);
  const values = a.parameters || {};
  const saveMsg = h('div', { id: 'params-message' });
  const rows = specs.filter((p) => !LINK_PARAMS.has(p.name)).map((p) => {
    const editable = session.admin && p.modifiable;
    const value = valueText(values[p.name]);
    return h('tr', { 'data-param': p.name },
      h('td', {}, h('code', {}, p.name), p.mandatory ? h('span', { class: 'muted' }, ' (mandatory)') : ''),
      h('td', {}, input(p, value, editable)),
      h('td', {}, p.type + (p.enum_values && p.enum_values.length ? ': ' + p.enum_values.join(' | ') : '')),
      h('td', {}, valueText(p.default_value)),
      h('td', {}, p.modifiable ? h('span', { class: 'badge ok' }, 'runtime') : h('span', { class: 'badge' },
        'restart')),
      h('td', { class: 'desc' }, p.description || ''));
  });
  const save = h('button', { id: 'params-save', disabled: !session.admin, onclick: async () => {
    const changed = {};
    for (const el of params.querySelectorAll('[data-original]')) {
      if (!el.disabled && el.value !== el.dataset.original) {
        changed[el.name] = el.value;
      }
    }
    for (const row of params.querySelectorAll('tr.error')) {
      row.classList.remove('error');
    }
    if (!Object.keys(changed).length) {
      message(saveMsg, 'info', 'Nothing changed.');
      return;
    }
    try {
      await api('PATCH', path, { data: { id: name, type, attributes: { parameters: changed } } });
      message(saveMsg, 'ok', 'Saved: ' + Object.keys(changed).join(', '));
      for (const el of params.querySelectorAll('[data-original]')) {
        el.dataset.original = el.value;
      }
    } catch (e) {
      message(saveMsg, 'error', e.message);
      markRows(params, Object.keys(changed), e.message);
    }
  } }, 'Save changes');
  fill(params, h('div', { class: 'card-head' }, h('h3', {}, 'Parameters' + (module ? ' (' + module + ')' : '')),
    h('div', { class: 'buttons' }, save)), saveMsg,
  table(['Parameter', 'Value', 'Type', 'Default', 'Changes', 'Description'], rows, { id: 'params-table' }));
}

async function renderLinks(el, type, name, doc, session, reload) {
  const rels = doc.relationships || {};
  const msg = h('div', { id: 'links-message' });
  const blocks = [];
  const kinds = new Set([...Object.keys(rels), ...EDITABLE_LINKS[type]]);
  for (const rel of kinds) {
    const ids = ((rels[rel] || {}).data || []).map((x) => x.id);
    const editable = session.admin && EDITABLE_LINKS[type].includes(rel);
    const set = async (next) => {
      try {
        await api('PATCH', '/v1/' + type + '/' + encodeURIComponent(name) + '/relationships/' + rel,
          { data: next.map((id) => ({ id, type: rel })) });
        reload();
      } catch (e) {
        message(msg, 'error', e.message);
      }
    };
    const items = ids.map((id) => h('li', {}, h('a', { href: '#/objects/' + rel + '/' + encodeURIComponent(id) }, id),
      editable ? h('button', { class: 'secondary small', 'data-unlink': id, onclick: () => set(ids.filter((x) => x !== id)) },
        'Unlink') : ''));
    let adder = '';
    if (editable && TYPES.includes(rel)) {
      const select = h('select', { id: 'link-' + rel, 'aria-label': 'Link a ' + SINGULAR[rel] });
      adder = h('div', { class: 'inline' }, select, h('button', { class: 'small', id: 'link-' + rel + '-add',
        onclick: () => select.value && set([...ids, select.value]) }, 'Link'));
      get('/v1/' + rel).then((all) => fill(select, h('option', { value: '' }, '— ' + SINGULAR[rel] + ' —'),
        all.data.map((o) => o.id).filter((id) => !ids.includes(id)).map((id) => h('option', { value: id }, id))))
        .catch((e) => message(msg, 'error', e.message));
    }
    blocks.push(h('div', { class: 'rel' }, h('h4', {}, rel), ids.length ? h('ul', {}, items)
      : h('p', { class: 'muted' }, 'none'), adder));
  }
  fill(el, h('h3', {}, 'Relationships'), msg, h('div', { class: 'rels' }, blocks));
}

async function createForm(page, type, session) {
  const msg = h('div', { id: 'create-message' });
  const nameInput = h('input', { id: 'create-name', 'aria-label': 'Name', required: true });
  const moduleSelect = h('select', { id: 'create-module', 'aria-label': 'Module' });
  const paramsBox = h('div', { id: 'create-params' });
  const relBox = h('div', { id: 'create-relationships' });
  const submit = h('button', { id: 'create-submit', disabled: !session.admin }, 'Create ' + SINGULAR[type]);
  const needsModule = type === 'services' || type === 'monitors' || type === 'filters';
  const form = h('form', { class: 'card', id: 'create-form' },
    h('label', {}, 'Name', nameInput),
    needsModule ? h('label', {}, type === 'services' ? 'Router' : 'Module', moduleSelect) : '',
    relBox, h('h3', {}, 'Parameters'), h('p', { class: 'muted' }, 'Empty fields take their default.'), paramsBox,
    h('div', { class: 'buttons' }, submit), msg);
  fill(page, h('p', {}, h('a', { href: '#/objects/' + type }, '← ' + type)),
    h('h2', {}, 'Create a ' + SINGULAR[type]), form);

  if (needsModule) {
    const want = { services: 'Router', monitors: 'Monitor', filters: 'Filter' }[type];
    const modules = (await get('/v1/maxscale/modules')).data.filter((m) => m.attributes.module_type === want);
    fill(moduleSelect, modules.map((m) => h('option', { value: m.id }, m.id)));
  }
  const showParams = async () => {
    const specs = await specFor(type, needsModule ? moduleSelect.value : null);
    fill(paramsBox, table(['Parameter', 'Value', 'Type', 'Description'], specs.filter((p) => !LINK_PARAMS.has(p.name))
      .map((p) => h('tr', { 'data-param': p.name }, h('td', {}, h('code', {}, p.name),
        p.mandatory ? h('span', { class: 'muted' }, ' (mandatory)') : ''),
      h('td', {}, h('input', { id: 'param-' + p.name, name: p.name, 'aria-label': p.name,
        placeholder: valueText(p.default_value) })),
      h('td', {}, p.type), h('td', { class: 'desc' }, p.description || '')))));
  };
  moduleSelect.addEventListener('change', showParams);
  await showParams();
  const relKinds = { services: ['servers'], listeners: ['services'], monitors: ['servers'] }[type] || [];
  for (const rel of relKinds) {
    const all = (await get('/v1/' + rel)).data.map((o) => o.id);
    relBox.append(h('fieldset', { 'data-rel': rel }, h('legend', {}, rel),
      all.map((id) => h('label', { class: 'check' }, h('input', { type: rel === 'services' ? 'radio' : 'checkbox',
        name: 'rel-' + rel, value: id }), id))));
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const parameters = {};
    for (const el of paramsBox.querySelectorAll('input[name]')) {
      if (el.value.trim() !== '') {
        parameters[el.name] = el.value.trim();
      }
    }
    for (const row of paramsBox.querySelectorAll('tr.error')) {
      row.classList.remove('error');
    }
    const attributes = { parameters };
    if (type === 'services') {
      attributes.router = moduleSelect.value;
    } else if (needsModule) {
      attributes.module = moduleSelect.value;
    }
    const relationships = {};
    for (const rel of relKinds) {
      const ids = [...relBox.querySelectorAll('input[name="rel-' + rel + '"]:checked')].map((x) => x.value);
      if (ids.length) {
        relationships[rel] = { data: ids.map((id) => ({ id, type: rel })) };
      }
    }
    const name = nameInput.value.trim();
    if (!name) {
      message(msg, 'error', 'Give the ' + SINGULAR[type] + ' a name.');
      return;
    }
    try {
      await api('POST', '/v1/' + type, { data: { id: name, type, attributes, relationships } });
      location.hash = '#/objects/' + type + '/' + encodeURIComponent(name);
    } catch (err) {
      message(msg, 'error', err.message);
      markRows(paramsBox, Object.keys(parameters), err.message);
    }
  });
}
