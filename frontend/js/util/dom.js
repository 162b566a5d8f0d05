// @ts-check
/**
 * Tiny element builders. Attributes only, never inline style strings: the page
 * runs under a Content-Security-Policy without 'unsafe-inline'.
 *
 *   const dot = svg('circle', {cx: 4, cy: 4, r: 2, class: 'dot'});
 *   const btn = html('button', {type: 'button', 'aria-label': 'Zoom in'}, ['+']);
 */

export const SVG_NS = 'http://www.w3.org/2000/svg';
export const XHTML_NS = 'http://www.w3.org/1999/xhtml';

/** @typedef {Record<string, string|number|boolean|null|undefined>} Attrs */

/**
 * @param {Element} el
 * @param {Attrs} attrs null/undefined/false remove the attribute, true sets it empty
 */
export function setAttrs(el, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) el.removeAttribute(name);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  return el;
}

/**
 * @template {keyof SVGElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs} [attrs]
 * @param {(Node|string)[]} [children]
 * @returns {SVGElementTagNameMap[K]}
 */
export function svg(tag, attrs = {}, children = []) {
  const el = /** @type {SVGElementTagNameMap[K]} */ (document.createElementNS(SVG_NS, tag));
  setAttrs(el, attrs);
  el.append(...children);
  return el;
}

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs} [attrs]
 * @param {(Node|string)[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function html(tag, attrs = {}, children = []) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  el.append(...children);
  return el;
}

/**
 * Set an attribute only when it changed: a render pass over hundreds of notes
 * then touches the DOM only where something moved.
 * @param {Element} el
 * @param {string} name
 * @param {string|number|null} value
 */
export function attr(el, name, value) {
  const next = value === null ? null : String(value);
  if (el.getAttribute(name) !== next) {
    if (next === null) el.removeAttribute(name);
    else el.setAttribute(name, next);
  }
}

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el;
}

/**
 * Show or hide an element. SVG elements have no `hidden` property, so this
 * uses the `display` attribute for them and `hidden` for HTML.
 * @param {Element} el
 * @param {boolean} visible
 */
export function show(el, visible) {
  if (el instanceof HTMLElement) el.hidden = !visible;
  else attr(el, 'display', visible ? null : 'none');
}
