// Small pieces shared by the views: type badges, score chips, tags, test outcomes, error and empty states.

import { h, link } from './dom.js';
import * as format from './format.js';

const TYPE_LABELS = {
  SPAN: 'SPAN', GENERATION: 'GEN', EVENT: 'EVENT', AGENT: 'AGENT', TOOL: 'TOOL', CHAIN: 'CHAIN',
  RETRIEVER: 'RETR', EMBEDDING: 'EMB', EVALUATOR: 'EVAL', GUARDRAIL: 'GUARD',
};

/** Returns the CSS class suffix of an observation type (unknown types get a neutral colour). */
export function typeClass(type) {
  return type in TYPE_LABELS ? type.toLowerCase() : 'span';
}

/** Returns the coloured badge of an observation type. */
export function typeBadge(type) {
  return h('span', { class: `type-badge type-${typeClass(type)}`, title: type }, TYPE_LABELS[type] ?? String(type));
}

/** Returns the chips of scores: name and value, the comment as tooltip. */
export function scoreChips(scores, max = Infinity) {
  if (!scores || scores.length === 0) return null;
  const shown = scores.slice(0, max).map((score) => h('span', {
    class: `chip score score-${score.dataType.toLowerCase()}`,
    title: [score.comment, score.source].filter(Boolean).join(' · ') || null,
  }, h('span', { class: 'chip-name' }, score.name), ' ', h('b', {}, format.scoreValue(score))));
  if (scores.length > max) shown.push(h('span', { class: 'chip more' }, `+${scores.length - max}`));
  return h('span', { class: 'chips' }, shown);
}

/** Returns tag chips that link to the traces with that tag. */
export function tagChips(tags) {
  if (!tags || tags.length === 0) return null;
  return h('span', { class: 'chips' }, tags.map((tag) => h('a', {
    class: 'chip tag', href: link('/traces', { tags: tag }), onclick: (event) => event.stopPropagation(),
  }, tag)));
}

/** Returns the red badge of a trace or observation that failed. */
export function errorBadge(count) {
  if (!count) return null;
  return h('span', { class: 'badge error', title: `${count} observation${count > 1 ? 's' : ''} failed` },
    count > 1 ? `${count} errors` : 'error');
}

/** Returns the badge of a test's status: passed, failed, skipped or aborted. */
export function statusBadge(status) {
  const name = String(status).toLowerCase();
  return h('span', { class: `badge status status-${name}`, title: `The test ${name === 'passed' ? 'passed' : `was ${name}`}` },
    name);
}

/**
 * Returns the badges that sum up a run or a test class: red for failed tests, amber for aborted ones, green when
 * everything that ran passed, grey while the run has not ended.
 */
export function outcomeBadges(counts, running) {
  const badges = [];
  if (running) badges.push(h('span', { class: 'badge running', title: 'The run has not ended (or its JVM died)' },
    'running'));
  if (counts.failed > 0) badges.push(h('span', { class: 'badge error' }, `${counts.failed} failed`));
  if (counts.aborted > 0) badges.push(h('span', { class: 'badge warning' }, `${counts.aborted} aborted`));
  if (counts.failed === 0 && counts.aborted === 0 && counts.passed > 0 && !running) {
    badges.push(h('span', { class: 'badge passed' }, 'passed'));
  }
  return h('span', { class: 'outcome' }, badges);
}

/** Returns a commit id shortened to its first 10 characters, the whole id as tooltip. */
export function shortCommit(commit) {
  if (!commit) return '—';
  return h('code', { class: 'commit', title: commit }, commit.length > 10 ? commit.slice(0, 10) : commit);
}

/** Returns a message box for a failed request. */
export function failure(error) {
  return h('div', { class: 'notice error', role: 'alert' }, error.message ?? String(error));
}

/** Returns the pager of a list: previous, page x of y, next. */
export function pager(meta, goTo) {
  const pages = Math.max(1, meta.totalPages);
  return h('div', { class: 'pager' },
    h('button', { type: 'button', class: 'prev', disabled: meta.page <= 1, onclick: () => goTo(meta.page - 1) },
      '‹ Previous'),
    h('span', { class: 'page-info' },
      `Page ${meta.page} of ${pages} · ${format.count(meta.totalItems)} in all`),
    h('button', { type: 'button', class: 'next', disabled: meta.page >= pages, onclick: () => goTo(meta.page + 1) },
      'Next ›'));
}
