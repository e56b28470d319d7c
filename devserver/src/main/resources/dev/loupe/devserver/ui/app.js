// The devserver's web UI: a hash router over six views, and a poll that keeps the open view up to date while
// traces are being written (by tests, by an application) to the store.

import { h } from './dom.js';
import * as compareTestRunsView from './views/compare-test-runs.js';
import * as compareTracesView from './views/compare-traces.js';
import * as sessionView from './views/session.js';
import * as sessionsView from './views/sessions.js';
import * as testRunView from './views/test-run.js';
import * as testRunsView from './views/test-runs.js';
import * as traceView from './views/trace.js';
import * as tracesView from './views/traces.js';

const POLL_MILLIS = 3000;
const view = document.getElementById('view');
const live = document.getElementById('live');
let current = null;
let generation = 0;
let inFlight = null;

function parseRoute() {
  const hash = location.hash.replace(/^#/, '') || '/traces';
  const questionMark = hash.indexOf('?');
  const path = questionMark < 0 ? hash : hash.slice(0, questionMark);
  const query = new URLSearchParams(questionMark < 0 ? '' : hash.slice(questionMark + 1));
  const parts = path.split('/').filter(Boolean).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch (malformed) {
      return part;
    }
  });
  return { parts, query };
}

function chooseView(route) {
  const [section, id] = route.parts;
  if (section === 'compare' && id === 'traces') return compareTracesView;
  if (section === 'compare' && id === 'test-runs') return compareTestRunsView;
  if (section === 'traces' && id) return traceView;
  if (section === 'sessions' && id) return sessionView;
  if (section === 'sessions') return sessionsView;
  if (section === 'test-runs' && id) return testRunView;
  if (section === 'test-runs') return testRunsView;
  return tracesView;
}

function showRoute() {
  const route = parseRoute();
  generation += 1;
  document.title = 'Loupe';
  for (const item of document.querySelectorAll('[data-nav]')) {
    item.classList.toggle('active', item.dataset.nav === (route.parts[0] ?? 'traces'));
  }
  view.replaceChildren();
  current = chooseView(route).mount(view, route);
  refresh();
}

/**
 * Refreshes the open view; a view that was replaced meanwhile is left alone, and a poll never overlaps the
 * previous one of the same view (a slow store would otherwise pile up requests).
 */
async function refresh() {
  const mine = generation;
  if (inFlight === mine) return;
  inFlight = mine;
  try {
    await current.refresh();
    if (mine === generation) showLive(true);
  } catch (error) {
    if (mine === generation) showLive(error.status !== 0, error);
  } finally {
    if (inFlight === mine) inFlight = null;
  }
}

function showLive(reachable, error) {
  const now = new Date().toLocaleTimeString();
  live.className = reachable ? 'live on' : 'live off';
  live.title = reachable ? `Updates every ${POLL_MILLIS / 1000} seconds` : (error?.message ?? '');
  live.replaceChildren(h('span', { class: 'dot' }), reachable ? ` Live · ${now}` : ' Offline');
}

window.addEventListener('hashchange', showRoute);
setInterval(() => {
  if (!document.hidden && current) refresh();
}, POLL_MILLIS);
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && current) refresh();
});
showRoute();
