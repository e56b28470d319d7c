// One session as the conversation it was: each trace's input and output in order, with a link to the trace.

import * as api from '../api.js';
import { h, link } from '../dom.js';
import * as format from '../format.js';
import { payload, spokenText } from '../payload.js';
import { errorBadge, failure, scoreChips, tagChips } from '../widgets.js';

/** Shows the session view for a route such as {parts: ['sessions', id], query}. */
export function mount(container, route) {
  const id = route.parts[1];
  container.append(h('p', { class: 'loading' }, 'Loading session…'));
  const refresh = api.poller(() => api.get('/api/public/sessions/' + encodeURIComponent(id)), (body) => {
    const session = body;
    document.title = `Session ${session.id} · Loupe`;
    container.replaceChildren(
      backLink(),
      h('div', { class: 'trace-head' },
        h('h1', {}, 'Session ', h('code', {}, session.id)),
        h('dl', { class: 'facts' }, [
          ['Traces', format.count(session.traceCount)],
          ['Users', session.userIds.join(', ') || '—'],
          ['Started', format.dateTime(session.createdAt)],
          ['Last trace', format.dateTime(session.lastTraceAt)],
        ].map(([name, value]) => h('div', { class: 'fact' }, h('dt', {}, name), h('dd', {}, value)))),
        scoreChips(session.scores)),
      h('ol', { class: 'turns' }, session.traces.map(turn)));
  }, (error) => container.replaceChildren(backLink(), failure(error)));

  return { refresh };
}

function backLink() {
  return h('a', { class: 'back', href: '#/sessions' }, '← Sessions');
}

function turn(trace) {
  return h('li', { class: trace.errorCount > 0 ? 'turn has-error' : 'turn', 'data-trace-id': trace.id },
    h('div', { class: 'turn-head' },
      h('a', { class: 'turn-link', href: link('/traces/' + encodeURIComponent(trace.id)) }, trace.name ?? 'trace'),
      h('span', { class: 'time' }, format.dateTime(trace.timestamp)),
      h('span', {}, format.duration(trace.latency)),
      trace.userId ? h('span', { class: 'user' }, trace.userId) : null,
      errorBadge(trace.errorCount),
      tagChips(trace.tags),
      scoreChips(trace.scoreDetails)),
    bubble('user', trace.userId ?? 'user', trace.input),
    bubble('assistant', trace.name ?? 'assistant', trace.output));
}

function bubble(role, who, value) {
  if (value === null || value === undefined) {
    return role === 'assistant' ? h('div', { class: 'msg role-assistant missing', 'data-role': role },
      h('div', { class: 'msg-role' }, who), h('div', { class: 'msg-text' }, 'No output recorded')) : null;
  }
  const text = spokenText(value);
  return h('div', { class: `msg role-${role}`, 'data-role': role },
    h('div', { class: 'msg-role' }, who),
    text !== null ? h('div', { class: 'msg-text' }, text) : payload(value));
}
