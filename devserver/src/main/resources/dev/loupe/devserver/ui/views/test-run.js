// One test run: its test classes, those with failures first, and in each class its tests, failed and aborted
// ones first, with status, duration, failure message and links to the traces each test produced.

import * as api from '../api.js';
import { h, link } from '../dom.js';
import * as format from '../format.js';
import { errorBadge, failure, outcomeBadges, statusBadge } from '../widgets.js';

/** Shows the test run view for a route such as {parts: ['test-runs', id], query}. */
export function mount(container, route) {
  const id = route.parts[1];
  container.append(h('p', { class: 'loading' }, 'Loading test run…'));
  const refresh = api.poller(() => api.get('/api/public/test-runs/' + encodeURIComponent(id)), (body) => {
    const run = body;
    document.title = `Test run ${format.dateTime(run.startTime)} · Loupe`;
    container.replaceChildren(
      backLink(),
      header(run),
      run.classes.length === 0
        ? h('p', { class: 'empty-state' }, 'This run has recorded no tests yet.')
        : h('div', { class: 'test-classes' }, run.classes.map(testClass)));
  }, (error) => container.replaceChildren(backLink(), failure(error)));

  return { refresh };
}

function backLink() {
  return h('a', { class: 'back', href: '#/test-runs' }, '← Test runs');
}

function header(run) {
  const counts = run.counts;
  return h('div', { class: 'trace-head' },
    h('h1', {}, 'Test run ', h('span', { class: 'trace-id' }, run.id), outcomeBadges(counts, run.endTime === null)),
    h('a', { class: 'compare-link', href: link('/compare/test-runs', { after: run.id }) },
      'Compare with the previous run on this branch'),
    h('dl', { class: 'facts' }, [
      ['Started', format.dateTime(run.startTime)],
      ['Duration', run.endTime ? format.duration(run.durationMs / 1000) : 'still running'],
      ['Branch', run.gitBranch ?? '—'],
      ['Commit', run.gitCommit ?? '—'],
      ['Tests', format.count(counts.total)],
      ['Passed', format.count(counts.passed)],
      ['Failed', format.count(counts.failed)],
      ['Skipped', format.count(counts.skipped)],
      ['Aborted', format.count(counts.aborted)],
    ].map(([name, value]) => h('div', { class: 'fact' }, h('dt', {}, name), h('dd', {}, value)))));
}

function testClass(group) {
  const name = group.testClass ?? '(no class)';
  const dot = name.lastIndexOf('.');
  const counts = group.counts;
  return h('section', { class: 'test-class', 'data-test-class': name },
    h('h2', {},
      h('span', { class: 'class-name', title: name },
        dot > 0 ? h('span', { class: 'package' }, name.slice(0, dot + 1)) : null, name.slice(dot + 1)),
      h('span', { class: 'class-figures' },
        `${format.count(counts.total)} test${counts.total === 1 ? '' : 's'} · ${format.duration(group.durationMs / 1000)}`),
      outcomeBadges(counts, false)),
    h('table', { class: 'grid tests' },
      h('thead', {}, h('tr', {},
        h('th', {}, 'Status'), h('th', {}, 'Test'), h('th', { class: 'num' }, 'Duration'), h('th', {}, 'Traces'))),
      group.results.map(testRows)));
}

/** One test: a row with its figures and, when it failed or was skipped with a reason, the message below it. */
function testRows(result) {
  const failed = result.status === 'FAILED' || result.status === 'ABORTED';
  const stripe = { FAILED: 'has-error', ABORTED: 'has-warning' }[result.status] ?? '';
  // JUnit's display name of a parameterized invocation usually holds its arguments already.
  const parameters = result.parameters && !(result.displayName ?? '').includes(result.parameters)
    ? result.parameters : null;
  // Assertion messages often begin with a line break; the message box needs no empty first line.
  const message = result.failureMessage?.replace(/^\s*\n/, '').trimEnd();
  return h('tbody', { class: `test status-${result.status.toLowerCase()}`, 'data-unique-id': result.uniqueId,
    'data-status': result.status },
  h('tr', { class: [stripe, message ? 'has-message' : ''].join(' ').trim() || null },
    h('td', { class: 'status' }, statusBadge(result.status)),
    h('td', { class: 'test-name' }, h('div', { class: 'test-label' },
      h('span', { class: 'display-name' }, result.displayName ?? result.testMethod ?? result.uniqueId),
      result.testMethod && !(result.displayName ?? '').startsWith(`${result.testMethod}(`)
        ? h('span', { class: 'method', title: 'test method' }, result.testMethod) : null,
      parameters ? h('span', { class: 'parameters', title: 'arguments' }, parameters) : null,
      result.tags.length > 0 ? h('span', { class: 'chips' }, result.tags.map((tag) => h('span', {
        class: 'chip test-tag', title: 'JUnit tag' }, tag))) : null)),
    h('td', { class: 'num' }, format.duration(result.durationMs === null ? null : result.durationMs / 1000)),
    h('td', { class: 'trace-links' }, result.traces.length === 0 ? h('span', { class: 'empty' }, 'none')
      : result.traces.map(traceLink))),
  message ? h('tr', { class: 'failure-row' },
    h('td', {}),
    h('td', { colspan: 3 }, h('pre', { class: failed ? `failure-message ${stripe}` : 'skip-reason' }, message)))
    : null);
}

function traceLink(trace) {
  const known = trace.name !== null;
  return h('span', { class: 'trace-link' },
    h('a', { href: link('/traces/' + encodeURIComponent(trace.id)), 'data-trace-id': trace.id,
      title: known ? `${trace.id} · ${format.dateTime(trace.timestamp)}` : `${trace.id}: not in this store` },
    known ? trace.name : trace.id.slice(0, 12)),
    errorBadge(trace.errorCount));
}
