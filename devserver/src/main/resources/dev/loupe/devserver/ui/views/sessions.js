// The sessions list: one row per conversation, most recently active first.

import * as api from '../api.js';
import { h, link } from '../dom.js';
import * as format from '../format.js';
import { failure, pager } from '../widgets.js';

/** Shows the sessions view for a route such as {parts: ['sessions'], query}. */
export function mount(container, route) {
  const page = Math.max(1, Number.parseInt(route.query.get('page') ?? '1', 10) || 1);
  const userId = route.query.get('userId') ?? '';
  const results = h('div', { class: 'results' }, h('p', { class: 'loading' }, 'Loading sessions…'));
  container.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Sessions'),
      userId ? h('span', { class: 'filter-note' }, 'of user ', h('b', {}, userId), ' · ',
        h('a', { href: '#/sessions' }, 'all users')) : null),
    results);
  const refresh = api.poller(() => api.get('/api/public/sessions', { page, limit: 50, userId }), (body) => {
    results.replaceChildren(table(body),
      pager(body.meta, (next) => { location.hash = link('/sessions', { userId, page: next }); }));
  }, (error) => results.replaceChildren(failure(error)));

  return { refresh };
}

function table(body) {
  if (body.data.length === 0) {
    return h('p', { class: 'empty-state' }, 'No sessions yet: traces recorded with a session id show up here.');
  }
  return h('table', { class: 'grid sessions' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Session'), h('th', { class: 'num' }, 'Traces'), h('th', {}, 'Users'),
      h('th', {}, 'Started'), h('th', {}, 'Last trace'))),
    h('tbody', {}, body.data.map((session) => {
      const href = link('/sessions/' + encodeURIComponent(session.id));
      return h('tr', { 'data-session-id': session.id, onclick: () => { location.hash = href; } },
        h('td', { class: 'name' }, h('a', { href, onclick: (event) => event.stopPropagation() }, session.id)),
        h('td', { class: 'num' }, format.count(session.traceCount)),
        h('td', {}, session.userIds.join(', ') || '—'),
        h('td', { class: 'time' }, format.dateTime(session.createdAt)),
        h('td', { class: 'time' }, format.dateTime(session.lastTraceAt)));
    })));
}
