// Builds DOM nodes from code. Every piece of data becomes a text node or an attribute value, never markup:
// nothing stored in a trace can add elements or run script. There is no innerHTML anywhere in this UI.

/**
 * Creates an element. Props: class, text, on<event> (a function), style (an object, applied through the CSSOM),
 * boolean DOM properties (checked, disabled...), anything else as an attribute. Children are nodes or text.
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'style') Object.assign(node.style, value);
    else if (key === 'href') node.setAttribute('href', safeHref(String(value)));
    else if (typeof value === 'boolean' && key in node) node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

/** Appends children (nodes, text, arrays of them; null and false are skipped). */
export function append(node, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Links stay inside the devserver: a stored "javascript:" or foreign URL never becomes a link. */
export function safeHref(href) {
  return href.startsWith('#/') || href.startsWith('/') && !href.startsWith('//') ? href : '#/';
}

/** Returns a hash link to a view with query parameters, leaving out empty ones. */
export function link(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '' || value === false) continue;
    query.set(key, String(value));
  }
  const text = query.toString();
  return '#' + path + (text ? '?' + text : '');
}
