// The traces table: filters, sorting by time or duration, pagination. The filters live in the URL (#/traces?...),
// so a filtered view can be reloaded, bookmarked and shared. A search (the server's full-text search over traces
// and all their observations) lists under each trace the observations it was found in, linked to them.

import * as api from '../api.js';
import { h, link } from '../dom.js';
import * as format from '../format.js';
import { errorBadge, failure, pager, scoreChips, tagChips } from '../widgets.js';

const FILTERS = ['name', 'userId', 'sessionId', 'tags', 'from', 'to', 'scoreName', 'scoreMin', 'scoreMax', 'search',
  'metadata'];
const PAGE_SIZES = [25, 50, 100, 250];

/** Shows the traces view for a route such as {parts: ['traces'], query}. */
export function mount(container, route) {
  const state = readState(route.query);
  const results = h('div', { class: 'results' }, h('p', { class: 'loading' }, 'Loading traces…'));
  container.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Traces')),
    filterForm(state),
    results);
  const refresh = api.poller(() => api.get('/api/public/traces', apiParams(state)), (body) => {
    results.replaceChildren(table(body, state), pager(body.meta, (page) => go({ ...state, page })));
  }, (error) => results.replaceChildren(failure(error)));

  return { refresh };
}

function readState(query) {
  const state = {};
  for (const key of FILTERS) state[key] = query.get(key) ?? '';
  state.errors = query.get('errors') === '1';
  state.orderBy = query.get('orderBy') ?? 'timestamp.desc';
  state.page = Math.max(1, Number.parseInt(query.get('page') ?? '1', 10) || 1);
  state.limit = PAGE_SIZES.includes(Number(query.get('limit'))) ? Number(query.get('limit')) : 50;
  return state;
}

function apiParams(state) {
  return {
    name: state.name,
    userId: state.userId,
    sessionId: state.sessionId,
    tags: state.tags.split(',').map((tag) => tag.trim()).filter(Boolean),
    fromTimestamp: format.localToIso(state.from),
    toTimestamp: format.localToIso(state.to),
    hasError: state.errors ? 'true' : null,
    scoreName: state.scoreName,
    scoreMin: state.scoreMin,
    scoreMax: state.scoreMax,
    search: state.search,
    metadata: state.metadata.split(';').map((condition) => condition.trim()).filter(Boolean),
    orderBy: state.orderBy,
    page: state.page,
    limit: state.limit,
    fields: 'core,scores,metrics',
  };
}

function go(state) {
  const params = {};
  for (const key of FILTERS) params[key] = state[key];
  params.errors = state.errors ? '1' : '';
  params.orderBy = state.orderBy === 'timestamp.desc' ? '' : state.orderBy;
  params.page = state.page > 1 ? state.page : '';
  params.limit = state.limit === 50 ? '' : state.limit;
  location.hash = link('/traces', params);
}

function filterForm(state) {
  const field = (name, label, props = {}) => h('label', { class: 'field' },
    h('span', {}, label),
    h('input', { name, value: state[name], autocomplete: 'off', spellcheck: 'false', ...props }));
  const form = h('form', { class: 'filters', onsubmit: (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const next = { ...state, page: 1, errors: data.get('errors') === 'on', limit: Number(data.get('limit')) };
    for (const key of FILTERS) next[key] = String(data.get(key) ?? '').trim();
    go(next);
  } },
  field('search', 'Search', { type: 'search', placeholder: 'words, "a phrase", prefix*', class: 'wide',
    title: 'Full-text search of the traces and all their observations: names, inputs, outputs, status messages '
      + 'and metadata' }),
  field('metadata', 'Metadata', { placeholder: 'env=prod; $.customer.tier=gold', class: 'wide',
    title: 'key=value, key (the key exists) or $.json.path=value; several separated by ;. Observation metadata '
      + 'counts for its trace' }),
  field('name', 'Name', { placeholder: 'support-agent' }),
  field('userId', 'User'),
  field('sessionId', 'Session'),
  field('tags', 'Tags', { placeholder: 'a, b (all of them)' }),
  field('from', 'From', { type: 'datetime-local', step: '1' }),
  field('to', 'To', { type: 'datetime-local', step: '1' }),
  field('scoreName', 'Score', { placeholder: 'helpfulness' }),
  field('scoreMin', 'Min', { type: 'number', step: 'any', class: 'narrow' }),
  field('scoreMax', 'Max', { type: 'number', step: 'any', class: 'narrow' }),
  h('label', { class: 'field check' },
    h('input', { type: 'checkbox', name: 'errors', checked: state.errors }), h('span', {}, 'Errors only')),
  h('label', { class: 'field' }, h('span', {}, 'Per page'),
    h('select', { name: 'limit' }, PAGE_SIZES.map((size) => h('option', { value: size, selected: size === state.limit },
      String(size))))),
  h('div', { class: 'actions' },
    h('button', { type: 'submit', class: 'primary' }, 'Apply'),
    h('button', { type: 'button', onclick: () => { location.hash = '#/traces'; } }, 'Clear')));
  return form;
}

function table(body, state) {
  if (body.data.length === 0) {
    const filtered = FILTERS.some((key) => state[key]) || state.errors;
    return h('p', { class: 'empty-state' }, filtered
      ? 'No traces match these filters.'
      : 'No traces yet. Record some with the tracer, or start the devserver with --demo.');
  }
  const sortable = (label, field) => {
    const active = state.orderBy.startsWith(field + '.');
    const descending = state.orderBy.endsWith('.desc');
    const next = active && descending ? `${field}.asc` : `${field}.desc`;
    return h('th', { class: 'sortable', 'aria-sort': active ? (descending ? 'descending' : 'ascending') : null },
      h('button', { type: 'button', 'data-sort': field, onclick: () => go({ ...state, orderBy: next, page: 1 }) },
        label, active ? (descending ? ' ▼' : ' ▲') : ''));
  };
  return h('table', { class: 'grid traces' },
    h('thead', {}, h('tr', {},
      sortable('Time', 'timestamp'), h('th', {}, 'Name'), sortable('Duration', 'latency'), h('th', {}, 'User'),
      h('th', {}, 'Session'), h('th', {}, 'Tags'), h('th', { class: 'num' }, 'Obs.'), h('th', { class: 'num' }, 'Tokens'),
      h('th', { class: 'num' }, 'Cost'), h('th', {}, 'Scores'), h('th', {}, ''))),
    h('tbody', {}, body.data.map((trace) => row(trace, state))));
}

function row(trace, state) {
  const open = () => { location.hash = link('/traces/' + encodeURIComponent(trace.id)); };
  const stop = (event) => event.stopPropagation();
  return h('tr', { class: trace.errorCount > 0 ? 'has-error' : null, 'data-trace-id': trace.id, onclick: open },
    h('td', { class: 'time', title: trace.timestamp }, format.dateTime(trace.timestamp)),
    h('td', { class: 'name' },
      h('a', { href: link('/traces/' + encodeURIComponent(trace.id)), onclick: stop }, trace.name ?? '(unnamed)'),
      foundIn(trace, state.search, stop)),
    h('td', { class: 'num' }, format.duration(trace.latency)),
    h('td', {}, trace.userId
      ? h('a', { href: link('/traces', { userId: trace.userId }), onclick: stop }, trace.userId) : '—'),
    h('td', { class: 'session' }, trace.sessionId
      ? h('a', { href: link('/sessions/' + encodeURIComponent(trace.sessionId)), onclick: stop }, trace.sessionId)
      : '—'),
    h('td', {}, tagChips(trace.tags)),
    h('td', { class: 'num' }, format.count(trace.observationCount)),
    h('td', { class: 'num', title: `${trace.usage.input} in · ${trace.usage.output} out` },
      trace.usage.total ? format.count(trace.usage.total) : '—'),
    h('td', { class: 'num' }, format.cost(trace.totalCost)),
    h('td', {}, scoreChips(trace.scoreDetails, 3)),
    h('td', {}, errorBadge(trace.errorCount)));
}

/** The observations a search found its text in, each a link to it in the trace with the text found. */
function foundIn(trace, search, stop) {
  const matches = trace.matchingObservations ?? [];
  if (!search || matches.length === 0) return null;
  const shown = matches.slice(0, 5);
  return h('div', { class: 'found-in' }, 'Found in ',
    shown.map((match) => h('a', {
      class: 'found-observation', 'data-observation-id': match.id, onclick: stop,
      href: link('/traces/' + encodeURIComponent(trace.id), { obs: match.id, find: search }),
    }, match.name ?? '(unnamed)')),
    matches.length > shown.length ? `and ${matches.length - shown.length} more` : null);
}
