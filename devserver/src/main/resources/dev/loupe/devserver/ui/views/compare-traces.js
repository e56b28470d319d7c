// Two traces side by side: the observations added, removed or changed (with the fields that changed), and the
// deltas in tokens, cost and latency. Without ?before=, the earlier side is the same test's trace in the previous
// run on the branch.

import * as api from '../api.js';
import { h, link } from '../dom.js';
import * as format from '../format.js';
import { failure, typeBadge } from '../widgets.js';

const KIND_LABELS = { ADDED: 'added', REMOVED: 'removed', CHANGED: 'changed' };

/** Shows the comparison view for a route such as {parts: ['compare', 'traces'], query: after, before}. */
export function mount(container, route) {
  const after = route.query.get('after');
  const before = route.query.get('before');
  container.append(h('p', { class: 'loading' }, 'Comparing traces…'));
  const refresh = api.poller(() => api.get('/api/public/comparisons/traces', { after, before }), (body) => {
    document.title = `Compare ${body.after.name ?? 'traces'} · Loupe`;
    container.replaceChildren(
      h('a', { class: 'back', href: link('/traces/' + encodeURIComponent(after)) }, '← Trace'),
      h('h1', {}, 'Compare traces'),
      sides(body),
      deltas(body),
      body.changes.length === 0
        ? h('p', { class: 'empty-state comparison-same' }, 'The two traces have the same observations.')
        : h('table', { class: 'grid comparison' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Change'), h('th', {}, 'Observation'), h('th', {}, 'Fields'),
            h('th', {}, 'Before'), h('th', {}, 'After'))),
          h('tbody', {}, body.changes.map(change))));
  }, (error) => container.replaceChildren(h('h1', {}, 'Compare traces'), failure(error)));
  return { refresh };
}

function sides(body) {
  const side = (label, trace) => h('div', { class: 'fact' }, h('dt', {}, label),
    h('dd', {}, h('a', { href: link('/traces/' + encodeURIComponent(trace.id)) }, trace.name ?? trace.id), ' ',
      h('span', { class: 'muted' }, format.dateTime(trace.timestamp))));
  return h('dl', { class: 'facts comparison-sides' }, side('Before', body.before), side('After', body.after));
}

function signed(value, render) {
  if (value === null || value === undefined) return '—';
  const text = render(Math.abs(value));
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

function deltas(body) {
  return h('dl', { class: 'facts comparison-deltas' }, [
    ['Shape', body.sameShape ? 'same' : 'changed'],
    ['Tokens', signed(body.tokenDelta, format.count)],
    ['Cost', signed(body.costDelta, format.cost)],
    ['Latency', signed(body.latencyDeltaMs / 1000, format.duration)],
  ].map(([name, value]) => h('div', { class: 'fact', 'data-delta': name.toLowerCase() }, h('dt', {}, name),
    h('dd', {}, value))));
}

function change(item) {
  const observation = item.after ?? item.before;
  return h('tr', { class: `change change-${item.kind.toLowerCase()}`, 'data-place': item.place },
    h('td', {}, h('span', { class: `badge change-${item.kind.toLowerCase()}` }, KIND_LABELS[item.kind])),
    h('td', { class: 'place' }, typeBadge(observation.type), ' ', h('span', { title: item.place }, observation.name)),
    h('td', { class: 'fields' }, item.changedFields.join(', ')),
    h('td', { class: 'before' }, summary(item.before, item.changedFields)),
    h('td', { class: 'after' }, summary(item.after, item.changedFields)));
}

/** The changed fields' values of one side, short; the whole observation is one click away on its trace page. */
function summary(observation, fields) {
  if (!observation) return '—';
  const shown = fields.length > 0 ? fields : ['model', 'latency'];
  return h('div', { class: 'field-values' }, shown.map((field) => {
    const value = observation[field] ?? (field === 'usage' ? observation.usage?.total : undefined);
    const text = value === null || value === undefined ? '—'
      : typeof value === 'object' ? JSON.stringify(value) : String(value);
    return h('div', { class: 'field-value' }, h('span', { class: 'muted' }, `${field}: `),
      text.length > 120 ? text.slice(0, 119) + '…' : text);
  }));
}
