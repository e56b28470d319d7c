// Shows stored payloads (inputs, outputs, metadata): chat messages as a conversation, anything else as pretty JSON.
// All of it as text.

import { h } from './dom.js';

const TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(?:true|false)\b|\bnull\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** Returns the view of a payload: a conversation for chat messages, text for a string, pretty JSON otherwise. */
export function payload(value) {
  if (value === null || value === undefined) return h('div', { class: 'empty' }, '—');
  const messages = chatMessages(value);
  if (messages) {
    return h('div', { class: 'payload' },
      conversation(messages),
      h('details', { class: 'raw' }, h('summary', {}, 'JSON'), json(value)));
  }
  if (typeof value === 'string') return h('pre', { class: 'text' }, value);
  return json(value);
}

/** Returns pretty-printed JSON with its keys, strings, numbers and literals coloured. */
export function json(value) {
  const text = JSON.stringify(value, null, 2) ?? String(value);
  const pre = h('pre', { class: 'json' });
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    if (match.index > last) pre.append(text.slice(last, match.index));
    const [token, string, colon] = match;
    let kind = 'number';
    if (string !== undefined) kind = colon ? 'key' : 'string';
    else if (token === 'null') kind = 'null';
    else if (token === 'true' || token === 'false') kind = 'boolean';
    pre.append(h('span', { class: `j-${kind}` }, colon ? string : token));
    if (colon) pre.append(colon);
    last = match.index + token.length;
  }
  if (last < text.length) pre.append(text.slice(last));
  return pre;
}

/**
 * Returns the chat messages a payload holds, or null: a list of {role, content} objects, one such object, or an
 * object with such a list under "messages" (as OpenAI's request body has).
 */
export function chatMessages(value) {
  if (Array.isArray(value)) return value.length > 0 && value.every(isMessage) ? value : null;
  if (value && typeof value === 'object') {
    if (isMessage(value)) return [value];
    if (Array.isArray(value.messages) && value.messages.length > 0 && value.messages.every(isMessage)) {
      return value.messages;
    }
  }
  return null;
}

function isMessage(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value.role === 'string'
    && ('content' in value || 'tool_calls' in value);
}

/** Returns messages as speech bubbles, one per message, labelled with their role. */
export function conversation(messages) {
  return h('div', { class: 'conversation' }, messages.map(message));
}

function message(value) {
  const role = /^[a-z_]{1,20}$/i.test(value.role) ? value.role.toLowerCase() : 'other';
  const extras = Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'role' && key !== 'content'));
  return h('div', { class: `msg role-${role}`, 'data-role': role },
    h('div', { class: 'msg-role' }, value.role),
    content(value.content),
    Object.keys(extras).length > 0 ? json(extras) : null);
}

function content(value) {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string') return h('div', { class: 'msg-text' }, value);
  if (Array.isArray(value)) {
    return value.map((part) => (part && part.type === 'text' && typeof part.text === 'string'
      ? h('div', { class: 'msg-text' }, part.text) : json(part)));
  }
  return json(value);
}

/**
 * Returns the text a person typed or read in a trace's input or output, for a conversation view: a string, the
 * "message"-like field of an object, or the last message of a chat; null when there is no such text.
 */
export function spokenText(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  const messages = chatMessages(value);
  if (messages) {
    const last = messages[messages.length - 1];
    return typeof last.content === 'string' ? last.content : null;
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    for (const key of ['message', 'question', 'answer', 'query', 'input', 'output', 'prompt', 'text', 'content']) {
      if (typeof value[key] === 'string') return value[key];
    }
  }
  return null;
}
