// One trace: its observation tree beside a waterfall on one time axis, and the details of the selected
// observation (or of the trace itself). The selection is kept in the URL (?obs=...), so it survives a reload.
// "Find in trace" (?find=...) asks the server's full-text search which observations hold a text, then shows only
// those (with the way down to them) and marks them; with thousands of observations, that is the way to one.
// The tree and every figure (duration, tokens, cost, counts) are the server's: this view computes none of them,
// it only lays the observations' bars out on one time axis.

import * as api from '../api.js';
import { h, link } from '../dom.js';
import * as format from '../format.js';
import { json, payload } from '../payload.js';
import { errorBadge, failure, scoreChips, tagChips, typeBadge, typeClass } from '../widgets.js';

/** Find in trace reads matches a page at a time, up to this many pages (10,000 observations). */
const FIND_PAGE_SIZE = 1000;
const FIND_PAGES = 10;

/** Shows the trace view for a route such as {parts: ['traces', id], query}. */
export function mount(container, route) {
  const state = {
    id: route.parts[1],
    selected: route.query.get('obs'),
    expanded: null,
    seen: new Set(),
    trace: null,
    find: route.query.get('find') ?? '',
    found: null,
    findError: null,
  };
  container.append(h('p', { class: 'loading' }, 'Loading trace…'));
  const refresh = api.poller(() => api.get('/api/public/traces/' + encodeURIComponent(state.id)), (body) => {
    state.trace = body;
    render();
  }, (error) => container.replaceChildren(backLink(), failure(error)));
  if (state.find) findInTrace(state.find);

  /** Asks the server for the observations of this trace that hold the text, page by page, then renders. */
  async function findInTrace(text) {
    state.find = text;
    state.findError = null;
    if (!text) {
      state.found = null;
      writeUrl();
      if (state.trace) render();
      return;
    }
    const found = new Set();
    try {
      for (let page = 1; page <= FIND_PAGES; page += 1) {
        const { body } = await api.get('/api/public/observations', {
          traceId: state.id, search: text, page, limit: FIND_PAGE_SIZE,
        });
        body.data.forEach((observation) => found.add(observation.id));
        if (page >= body.meta.totalPages) break;
      }
      state.found = found;
    } catch (error) {
      state.found = null;
      state.findError = error.message;
    }
    if (text !== state.find) return;
    writeUrl();
    if (state.trace) render();
  }

  function render() {
    const tree = treeOf(state.trace);
    if (state.expanded === null) state.expanded = defaultExpanded(tree);
    else tree.roots.filter((root) => !state.seen.has(root.id)).forEach((root) => state.expanded.add(root.id));
    state.seen = new Set(tree.byId.keys());
    if (state.selected && !tree.byId.has(state.selected)) state.selected = null;
    document.title = `${state.trace.name ?? 'Trace'} · Loupe`;
    const scrollTop = container.querySelector('.waterfall')?.scrollTop ?? 0;
    const hadFocus = document.activeElement?.name === 'find';
    container.replaceChildren(
      backLink(),
      header(state.trace),
      h('div', { class: 'trace-layout' },
        h('section', { class: 'tree-panel' },
          findBar(),
          h('div', { class: 'panel-tools' },
            h('button', { type: 'button', class: 'expand-all', onclick: () => {
              state.expanded = new Set(tree.nodes.map((node) => node.id));
              render();
            } }, 'Expand all'),
            h('button', { type: 'button', class: 'collapse-all', onclick: () => {
              state.expanded = new Set(tree.roots.map((root) => root.id));
              render();
            } }, 'Collapse all'),
            h('button', { type: 'button', class: 'show-trace', disabled: state.selected === null,
              onclick: () => select(null) }, 'Trace overview')),
          waterfall(tree)),
        h('aside', { class: 'details', id: 'details' },
          state.selected ? observationDetails(tree.byId.get(state.selected).observation, state.trace)
            : traceDetails(state.trace))));
    const panel = container.querySelector('.waterfall');
    if (panel) panel.scrollTop = scrollTop;
    if (hadFocus) container.querySelector('input[name=find]')?.focus();
  }

  function findBar() {
    const input = h('input', {
      type: 'search', name: 'find', value: state.find, placeholder: 'words, "a phrase", prefix*',
      autocomplete: 'off', spellcheck: 'false', 'aria-label': 'Find in trace',
    });
    const form = h('form', { class: 'find-bar', role: 'search', onsubmit: (event) => {
      event.preventDefault();
      findInTrace(input.value.trim());
    } },
    h('label', { class: 'find-label' }, 'Find in trace', input),
    h('button', { type: 'submit' }, 'Find'),
    state.find ? h('button', { type: 'button', class: 'clear-find', onclick: () => findInTrace('') }, 'Clear') : null,
    h('span', { class: 'find-result', 'aria-live': 'polite' }, state.findError
      ? h('span', { class: 'find-error' }, state.findError)
      : state.found ? `${format.count(state.found.size)} of ${format.count(state.trace.observations.length)} `
        + `observation${state.trace.observations.length === 1 ? '' : 's'} match` : ''));
    return form;
  }

  function writeUrl() {
    const params = new URLSearchParams();
    if (state.selected) params.set('obs', state.selected);
    if (state.find) params.set('find', state.find);
    const query = params.toString();
    history.replaceState(null, '', '#/traces/' + encodeURIComponent(state.id) + (query ? '?' + query : ''));
  }

  function select(id) {
    state.selected = id;
    writeUrl();
    render();
  }

  function toggle(id) {
    if (state.expanded.has(id)) state.expanded.delete(id);
    else state.expanded.add(id);
    render();
  }

  function waterfall(tree) {
    const axis = timeAxis(state.trace, state.trace.observations);
    const nodes = state.found ? foundNodes(tree, state.found) : visibleNodes(tree, state.expanded);
    const rows = nodes.map((node) => observationRow(node.observation, node.depth,
      node.childIds.length, state.expanded.has(node.id), axis));
    if (rows.length === 0) {
      rows.push(h('p', { class: 'empty-state' }, state.found
        ? 'No observation of this trace holds that text.' : 'This trace has no observations.'));
    }
    return h('div', { class: 'waterfall', role: 'tree' }, axisRow(axis), rows);
  }

  function observationRow(observation, depth, childCount, open, axis) {
    const isError = observation.level === 'ERROR';
    const classes = ['obs-row', `type-${typeClass(observation.type)}`];
    if (isError) classes.push('is-error');
    if (observation.level === 'WARNING') classes.push('is-warning');
    if (observation.id === state.selected) classes.push('is-selected');
    if (state.found?.has(observation.id)) classes.push('is-match');
    else if (state.found) classes.push('is-context');
    const toggleButton = childCount > 0
      ? h('button', {
        type: 'button', class: 'toggle', 'aria-expanded': String(open),
        title: `${open ? 'Collapse' : 'Expand'} (${childCount} nested)`,
        onclick: (event) => { event.stopPropagation(); toggle(observation.id); },
      }, open ? '▾' : '▸')
      : h('span', { class: 'toggle-space' });
    return h('div', {
      class: classes.join(' '), role: 'treeitem', tabindex: '0',
      'aria-selected': String(observation.id === state.selected),
      'aria-expanded': childCount > 0 ? String(open) : null,
      'data-observation-id': observation.id, 'data-name': observation.name ?? '',
      onclick: () => select(observation.id),
      onkeydown: (event) => {
        if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); select(observation.id); }
        if (event.key === 'ArrowRight' && childCount > 0 && !open) toggle(observation.id);
        if (event.key === 'ArrowLeft' && childCount > 0 && open) toggle(observation.id);
      },
    },
    h('div', { class: 'obs-label' },
      h('span', { class: 'indent', style: { width: `${depth * 16}px` } }),
      toggleButton,
      typeBadge(observation.type),
      h('span', { class: 'obs-name', title: observation.name ?? '' }, observation.name ?? '(unnamed)'),
      isError ? h('span', { class: 'badge error' }, 'error') : null,
      observation.level === 'WARNING' ? h('span', { class: 'badge warning' }, 'warning') : null,
      llmReplayBadge(observation),
      h('span', { class: 'obs-duration' }, observation.type === 'EVENT' ? '' : format.duration(observation.latency))),
    h('div', { class: 'obs-timeline' }, bar(observation, axis)));
  }

  return { refresh };
}

/** The marker of a model call that went through Loupe's recording proxy: recorded, replayed or missing. */
const LLM_REPLAY = {
  recorded: 'Recorded from the provider by the LLM proxy',
  replayed: 'Replayed from a recording by the LLM proxy: no provider was called',
  missing: 'The LLM proxy had no recording of this call',
};

function llmReplayBadge(observation) {
  const marker = observation.metadata && typeof observation.metadata === 'object'
    ? observation.metadata['loupe.llm.replay'] : null;
  if (!Object.prototype.hasOwnProperty.call(LLM_REPLAY, marker)) return null;
  return h('span', { class: `badge llm-${marker}`, title: LLM_REPLAY[marker] }, marker);
}

function backLink() {
  return h('a', { class: 'back', href: '#/traces' }, '← Traces');
}

function header(trace) {
  const facts = [
    ['Started', format.dateTime(trace.timestamp)],
    ['Duration', format.duration(trace.latency)],
    ['User', trace.userId ? h('a', { href: link('/traces', { userId: trace.userId }) }, trace.userId) : null],
    ['Session', trace.sessionId
      ? h('a', { href: link('/sessions/' + encodeURIComponent(trace.sessionId)) }, trace.sessionId) : null],
    ['Observations', format.count(trace.observationCount)],
    ['Tokens', trace.usage.total ? `${format.count(trace.usage.total)} (${format.count(trace.usage.input)} in, `
      + `${format.count(trace.usage.output)} out)` : null],
    ['Cost', trace.totalCost === null ? null : format.cost(trace.totalCost)],
    ['Release', trace.release],
    ['Version', trace.version],
    ['Environment', trace.environment],
  ].filter(([, value]) => value !== null && value !== undefined && value !== '');
  return h('div', { class: 'trace-head' },
    h('h1', {}, trace.name ?? '(unnamed trace)', ' ', errorBadge(trace.errorCount)),
    h('div', { class: 'trace-id' }, 'Trace ', h('code', {}, trace.id), ' ',
      // A test's trace carries the test.passed score the JUnit extension gives it.
      trace.scores.some((score) => score.name === 'test.passed')
        ? h('a', { class: 'compare-link', href: link('/compare/traces', { after: trace.id }) },
          "Compare with this test's trace in the previous run")
        : null),
    factList(facts),
    tagChips(trace.tags),
    scoreChips(trace.scores.filter((score) => !score.observationId)));
}

function traceDetails(trace) {
  return h('div', { class: 'detail-body' },
    h('h2', {}, 'Trace'),
    section('Input', payload(trace.input)),
    section('Output', payload(trace.output)),
    trace.metadata ? section('Metadata', json(trace.metadata)) : null,
    section('Scores', scoreList(trace.scores.filter((score) => !score.observationId))));
}

function observationDetails(observation, trace) {
  const facts = [
    ['Type', observation.type],
    ['Level', observation.level],
    ['Started', format.dateTime(observation.startTime)],
    ['Duration', observation.type === 'EVENT' ? null
      : observation.endTime ? format.duration(observation.latency) : 'still open'],
    ['First token after', observation.timeToFirstToken === null ? null : format.duration(observation.timeToFirstToken)],
    ['Model', observation.model],
    ['Prompt', observation.promptName ? `${observation.promptName} v${observation.promptVersion ?? '?'}` : null],
    ['Version', observation.version],
    ['Id', h('code', {}, observation.id)],
  ].filter(([, value]) => value !== null && value !== undefined && value !== '');
  const scores = trace.scores.filter((score) => score.observationId === observation.id);
  return h('div', { class: 'detail-body', 'data-observation-id': observation.id },
    h('h2', {}, typeBadge(observation.type), ' ', h('span', { class: 'detail-name' }, observation.name ?? '(unnamed)')),
    observation.statusMessage || observation.level === 'ERROR' || observation.level === 'WARNING'
      ? h('div', { class: `notice ${observation.level === 'ERROR' ? 'error' : 'warning'} status-message` },
        h('b', {}, observation.level), ' ', observation.statusMessage ?? '')
      : null,
    factList(facts),
    observation.modelParameters ? section('Model parameters', parameters(observation.modelParameters)) : null,
    observation.usage || observation.costDetails ? section('Usage and cost', usageTable(observation)) : null,
    section('Input', payload(observation.input), 'input'),
    section('Output', payload(observation.output), 'output'),
    observation.metadata ? section('Metadata', metadata(observation.metadata)) : null,
    scores.length > 0 ? section('Scores', scoreList(scores)) : null);
}

function factList(facts) {
  return h('dl', { class: 'facts' }, facts.map(([name, value]) => h('div', { class: 'fact' },
    h('dt', {}, name), h('dd', {}, value))));
}

function section(title, body, name) {
  return h('section', { class: 'detail-section', 'data-section': name ?? title.toLowerCase() },
    h('h3', {}, title), body);
}

function parameters(value) {
  if (typeof value !== 'object' || Array.isArray(value)) return json(value);
  return h('dl', { class: 'parameters' }, Object.entries(value).map(([key, each]) => [
    h('dt', {}, key), h('dd', {}, typeof each === 'object' && each !== null ? json(each) : String(each))]));
}

function metadata(value) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return json(value);
  const { 'exception.stacktrace': stackTrace, ...rest } = value;
  return h('div', {},
    Object.keys(rest).length > 0 ? json(rest) : null,
    typeof stackTrace === 'string'
      ? h('details', { class: 'stacktrace' }, h('summary', {}, 'Stack trace'), h('pre', { class: 'text' }, stackTrace))
      : null);
}

// The kinds of tokens a generation is priced by, in the order the table shows them; a part is included in the
// total above it (cached input and cache writes in the input, reasoning in the output), never added to it.
const TOKEN_KINDS = [
  { key: 'input', label: 'Input' },
  { key: 'cached_input', label: 'cached input (read)', part: true },
  { key: 'cache_write', label: 'cache write', part: true },
  { key: 'output', label: 'Output' },
  { key: 'reasoning', label: 'reasoning', part: true },
  { key: 'total', label: 'Total' },
];

function usageTable(observation) {
  const usage = observation.usageDetails ?? {};
  const cost = observation.costDetails ?? {};
  const known = TOKEN_KINDS.map((kind) => kind.key);
  const others = [...new Set([...Object.keys(usage), ...Object.keys(cost)])].filter((key) => !known.includes(key));
  const rows = [...TOKEN_KINDS.filter((kind) => kind.key in usage || kind.key in cost),
    ...others.map((key) => ({ key, label: key }))];
  return h('table', { class: 'grid usage' },
    h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', { class: 'num' }, 'Tokens'), h('th', { class: 'num' }, 'Cost'))),
    h('tbody', {}, rows.map((kind) => h('tr', { class: kind.part ? 'part' : null, 'data-kind': kind.key },
      h('th', {}, kind.label),
      h('td', { class: 'num' }, format.count(usage[kind.key])),
      h('td', { class: 'num' }, format.cost(cost[kind.key]))))));
}

function scoreList(scores) {
  if (scores.length === 0) return h('div', { class: 'empty' }, 'No scores');
  return h('ul', { class: 'scores' }, scores.map((score) => h('li', {},
    scoreChips([score]), score.comment ? h('span', { class: 'comment' }, score.comment) : null,
    h('span', { class: 'source' }, score.source))));
}

// -------------------------------------------------------------------------------------------------------------
// Tree and time axis

/**
 * The tree the server built (trace.tree: depth first, each node {id, parentId, depth, childIds}), each node with
 * its observation. The parents are the server's, not the stored parentObservationIds, which may name a missing
 * observation or form a cycle.
 */
function treeOf(trace) {
  const observations = new Map(trace.observations.map((each) => [each.id, each]));
  const nodes = trace.tree.filter((node) => observations.has(node.id))
    .map((node) => ({ ...node, observation: observations.get(node.id) }));
  return {
    nodes,
    byId: new Map(nodes.map((node) => [node.id, node])),
    roots: nodes.filter((node) => node.depth === 0),
  };
}

/**
 * Returns the nodes to show, in walk order: those below a collapsed node are left out. In a depth-first walk a
 * node's descendants are the nodes after it that are deeper than it, so one pass does it, and it always ends.
 */
function visibleNodes(tree, expanded) {
  const shown = [];
  let collapsedDepth = Infinity;
  for (const node of tree.nodes) {
    if (node.depth > collapsedDepth) continue;
    collapsedDepth = Infinity;
    shown.push(node);
    if (node.childIds.length > 0 && !expanded.has(node.id)) collapsedDepth = node.depth;
  }
  return shown;
}

/**
 * Returns the nodes that a find keeps, in walk order: the matches and, so that the tree still reads as one, the
 * nodes on the way down to them. Walking each match's parents stops at a node already kept, so it is linear.
 */
function foundNodes(tree, found) {
  const kept = new Set();
  for (const id of found) {
    let node = tree.byId.get(id);
    for (let steps = node ? node.depth + 1 : 0; node && steps > 0 && !kept.has(node.id); steps -= 1) {
      kept.add(node.id);
      node = tree.byId.get(node.parentId);
    }
  }
  return tree.nodes.filter((node) => kept.has(node.id));
}

/** The top of the tree is open, and so is the way down to every observation that failed. */
function defaultExpanded(tree) {
  const expanded = new Set(tree.roots.map((root) => root.id));
  for (const node of tree.nodes) {
    if (node.observation.level !== 'ERROR') continue;
    // Each step climbs one level of the server's tree, so at most node.depth steps, whatever the data says.
    let parent = tree.byId.get(node.parentId);
    for (let steps = node.depth; parent && steps > 0; steps -= 1) {
      expanded.add(parent.id);
      parent = tree.byId.get(parent.parentId);
    }
  }
  return expanded;
}

function timeAxis(trace, observations) {
  const times = (pick) => observations.map(pick).filter(Boolean).map((iso) => Date.parse(iso));
  const starts = times((each) => each.startTime);
  const ends = times((each) => each.endTime);
  const start = Math.min(...starts, trace.timestamp ? Date.parse(trace.timestamp) : Infinity);
  const end = Math.max(...ends, ...starts, trace.endTime ? Date.parse(trace.endTime) : -Infinity);
  const safeStart = Number.isFinite(start) ? start : 0;
  return { start: safeStart, span: Math.max(1, (Number.isFinite(end) ? end : safeStart) - safeStart) };
}

function axisRow(axis) {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((fraction) => h('span', {
    class: 'tick', style: { left: `${fraction * 100}%` },
  }, format.duration((fraction * axis.span) / 1000)));
  return h('div', { class: 'obs-row axis', 'aria-hidden': 'true' },
    h('div', { class: 'obs-label' }, 'Observation'),
    h('div', { class: 'obs-timeline' }, ticks));
}

function bar(observation, axis) {
  if (!observation.startTime) return null;
  const start = Date.parse(observation.startTime);
  const left = ((start - axis.start) / axis.span) * 100;
  if (observation.type === 'EVENT') {
    return h('span', { class: 'marker', style: { left: `${left}%` }, title: `${observation.name} at +${
      format.duration((start - axis.start) / 1000)}` });
  }
  const end = observation.endTime ? Date.parse(observation.endTime) : axis.start + axis.span;
  const width = Math.max(0.3, ((end - start) / axis.span) * 100);
  return h('span', {
    class: observation.endTime ? 'bar' : 'bar open',
    style: { left: `${left}%`, width: `${Math.min(width, 100 - left)}%` },
    title: `+${format.duration((start - axis.start) / 1000)} · ${format.duration(observation.latency)}`,
  });
}
