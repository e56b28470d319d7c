// Two test runs: the tests whose outcome, tokens, cost or tree shape changed. Without ?before=, the earlier run is
// the previous run on the same branch.

import * as api from '../api.js';
import { h, link } from '../dom.js';
import * as format from '../format.js';
import { failure, statusBadge } from '../widgets.js';

/** Shows the comparison view for a route such as {parts: ['compare', 'test-runs'], query: after, before}. */
export function mount(container, route) {
  const after = route.query.get('after');
  const before = route.query.get('before');
  container.append(h('p', { class: 'loading' }, 'Comparing test runs…'));
  const refresh = api.poller(() => api.get('/api/public/comparisons/test-runs', { after, before }), (body) => {
    document.title = 'Compare test runs · Loupe';
    container.replaceChildren(
      h('a', { class: 'back', href: link('/test-runs/' + encodeURIComponent(after)) }, '← Test run'),
      h('h1', {}, 'Compare test runs'),
      h('dl', { class: 'facts comparison-sides' }, [['Before', body.before], ['After', body.after]].map(
        ([label, run]) => h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {},
          h('a', { href: link('/test-runs/' + encodeURIComponent(run.id)) }, format.dateTime(run.startTime)), ' ',
          h('span', { class: 'muted' }, `${run.gitBranch ?? 'no branch'} ${run.gitCommit ? run.gitCommit.slice(0, 8) : ''}`))))),
      body.changes.length === 0
        ? h('p', { class: 'empty-state comparison-same' },
          `No test changed its outcome, tokens, cost or tree shape (${format.count(body.testsAfter)} tests).`)
        : h('table', { class: 'grid comparison tests-changed' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Test'), h('th', {}, 'Before'), h('th', {}, 'After'),
            h('th', { class: 'num' }, 'Tokens'), h('th', { class: 'num' }, 'Cost'), h('th', {}, 'Shape'),
            h('th', {}, 'Traces'))),
          h('tbody', {}, body.changes.map(testRow))));
  }, (error) => container.replaceChildren(h('h1', {}, 'Compare test runs'), failure(error)));
  return { refresh };
}

function signed(value, render) {
  if (value === null || value === undefined || value === 0) return '0';
  const text = render(Math.abs(value));
  return value > 0 ? `+${text}` : `−${text}`;
}

function testRow(change) {
  const before = change.traceIdsBefore[0];
  const after = change.traceIdsAfter[0];
  return h('tr', { class: 'test-change', 'data-unique-id': change.uniqueId },
    h('td', { class: 'test-name' }, change.displayName,
      change.testClass ? h('div', { class: 'muted' }, change.testClass) : null),
    h('td', {}, change.statusBefore ? statusBadge(change.statusBefore) : h('span', { class: 'muted' }, 'new')),
    h('td', {}, change.statusAfter ? statusBadge(change.statusAfter) : h('span', { class: 'muted' }, 'gone')),
    h('td', { class: 'num' }, signed(change.tokenDelta, format.count)),
    h('td', { class: 'num' }, signed(change.costDelta, format.cost)),
    h('td', {}, change.shapeChanged ? h('span', { class: 'badge warning' }, 'changed') : 'same'),
    h('td', {}, before && after
      ? h('a', { class: 'compare-traces', href: link('/compare/traces', { before, after }) }, 'compare traces')
      : (after || before) ? h('a', { href: link('/traces/' + encodeURIComponent(after ?? before)) }, 'trace') : '—'));
}
