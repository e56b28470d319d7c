// The test runs that Loupe's JUnit extension recorded, newest first: when, on which branch and commit, and how
// many tests ended how, with a red badge on runs where something failed.

import * as api from '../api.js';
import { h, link } from '../dom.js';
import * as format from '../format.js';
import { failure, outcomeBadges, pager, shortCommit } from '../widgets.js';

/** Shows the test runs view for a route such as {parts: ['test-runs'], query}. */
export function mount(container, route) {
  const page = Math.max(1, Number.parseInt(route.query.get('page') ?? '1', 10) || 1);
  const results = h('div', { class: 'results' }, h('p', { class: 'loading' }, 'Loading test runs…'));
  container.append(h('div', { class: 'page-head' }, h('h1', {}, 'Test runs')), results);
  const refresh = api.poller(() => api.get('/api/public/test-runs', { page, limit: 50 }), (body) => {
    results.replaceChildren(table(body),
      pager(body.meta, (next) => { location.hash = link('/test-runs', { page: next > 1 ? next : '' }); }));
  }, (error) => results.replaceChildren(failure(error)));

  return { refresh };
}

function table(body) {
  if (body.data.length === 0) {
    return h('p', { class: 'empty-state' }, 'No test runs yet. Tests with @ExtendWith(TraceCapture.class) record '
      + 'one per run in target/loupe: start the devserver with --store target/loupe to see them here.');
  }
  return h('table', { class: 'grid test-runs' },
    h('thead', {}, h('tr', {},
      h('th', {}, 'Started'), h('th', {}, 'Branch'), h('th', {}, 'Commit'), h('th', { class: 'num' }, 'Duration'),
      h('th', { class: 'num' }, 'Tests'), h('th', { class: 'num' }, 'Passed'), h('th', { class: 'num' }, 'Failed'),
      h('th', { class: 'num' }, 'Skipped'), h('th', { class: 'num' }, 'Aborted'), h('th', {}, 'Outcome'))),
    h('tbody', {}, body.data.map(row)));
}

function row(run) {
  const href = link('/test-runs/' + encodeURIComponent(run.id));
  const counts = run.counts;
  return h('tr', { class: counts.failed > 0 ? 'has-error' : null, 'data-test-run-id': run.id,
    onclick: () => { location.hash = href; } },
  h('td', { class: 'time name', title: run.startTime },
    h('a', { href, onclick: (event) => event.stopPropagation() }, format.dateTime(run.startTime))),
  h('td', { class: 'branch' }, run.gitBranch ?? '—'),
  h('td', { class: 'commit' }, shortCommit(run.gitCommit)),
  h('td', { class: 'num' }, run.endTime ? format.duration(run.durationMs / 1000) : 'running'),
  h('td', { class: 'num' }, format.count(counts.total)),
  h('td', { class: 'num' }, format.count(counts.passed)),
  h('td', { class: counts.failed > 0 ? 'num failed' : 'num' }, format.count(counts.failed)),
  h('td', { class: 'num' }, format.count(counts.skipped)),
  h('td', { class: 'num' }, format.count(counts.aborted)),
  h('td', {}, outcomeBadges(counts, run.endTime === null)));
}
