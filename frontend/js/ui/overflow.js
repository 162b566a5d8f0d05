// @ts-check
/**
 * The tool bar on a narrow screen: tools that do not fit move, least needed
 * first, into a "More" menu at the bar's end, where each shows its name. A
 * facilitator sharing half a laptop screen with the video call keeps every
 * control; nothing is covered and nothing is cut.
 *
 *   const overflow = new ToolbarOverflow(byId('toolbar'));   // refits as its row's other items change size
 *   overflow.fit();   // after anything that changes what the bar holds
 *
 * The tools are moved, not copied: their listeners (one delegated click
 * handler, see toolbar.js) and their state (disabled, pressed, hidden) go with them.
 */

import { html } from '../util/dom.js';

// What leaves the bar first when room runs out: help and reference first, then
// running the session, then the map's own tools (adding a step stays to the last).
export const OVERFLOW_ORDER = [
  'help', 'legend', 'map-settings', 'timer', 'lock', 'vote', 'tidy', 'share', 'validation',
  'export', 'present', 'redo', 'undo', 'add-experiment', 'add-note', 'add-inventory', 'connect',
];
// The bar may be this much wider than its box before a tool moves (rounding of sub-pixels).
const SLACK_PX = 0.5;

export class ToolbarOverflow {
  /**
   * @param {HTMLElement} toolbar
   * @param {Element[]} [neighbours] what shares the bar's row: when one changes size (a name
   *   renamed, a Published badge, people coming), the bar refits. By default all its siblings.
   */
  constructor(toolbar, neighbours = [...(toolbar.parentElement?.children ?? [])].filter((el) => el !== toolbar)) {
    this.toolbar = toolbar;
    /** @type {Element[]} the bar's children in their first order, to put them back */
    this.order = [...toolbar.children];
    for (const button of toolbar.querySelectorAll('button.tool[aria-label]')) {
      if (!button.querySelector('span')) button.append(html('span', { class: 'tool-label' }, []));
    }
    this.more = /** @type {HTMLButtonElement} */ (html('button', {
      type: 'button', class: 'tool tool-more', id: 'more-tools', 'aria-label': 'More tools', title: 'More tools',
      'aria-haspopup': 'true', 'aria-expanded': 'false', 'aria-controls': 'more-menu', hidden: true,
    }, []));
    this.more.innerHTML = '<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">'
      + '<circle cx="3.5" cy="8" r="1.3" class="fill"/><circle cx="8" cy="8" r="1.3" class="fill"/>'
      + '<circle cx="12.5" cy="8" r="1.3" class="fill"/></svg>';
    this.menu = html('div', { id: 'more-menu', class: 'more-menu', role: 'group', 'aria-label': 'More tools', hidden: true }, []);
    toolbar.append(this.more);
    document.body.append(this.menu);
    this.more.addEventListener('click', () => (this.menu.hidden ? this.open() : this.close()));
    // A tool chosen from the menu has done its work (toolbar.js ran it): the menu goes.
    this.menu.addEventListener('click', (e) => {
      if (/** @type {Element} */ (e.target).closest('button')) this.close();
    });
    document.addEventListener('pointerdown', (e) => {
      const target = /** @type {Node} */ (e.target);
      if (!this.menu.hidden && !this.menu.contains(target) && !this.more.contains(target)) this.close();
    }, true);
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !this.menu.hidden) {
        this.close();
        this.more.focus();
      }
    });
    const refit = () => this.fit();
    const watch = new ResizeObserver(refit);
    for (const el of neighbours) watch.observe(el);
    window.addEventListener('resize', refit);
  }

  /** Put every tool back, then move the least needed out until the bar fits its box. */
  fit() {
    const wasOpen = !this.menu.hidden;
    this.toolbar.append(...this.order, this.more);
    this.more.hidden = true;
    if (this._fits()) {
      this._tidySeparators();
      this.close();
      return;
    }
    this.more.hidden = false;
    for (const action of OVERFLOW_ORDER) {
      const tool = this.toolbar.querySelector(`:scope > [data-action="${action}"]`);
      if (!tool) continue;
      this.menu.append(tool);
      if (/** @type {HTMLElement} */ (tool).hidden) continue; // hidden tools take no room
      this._tidySeparators();
      if (this._fits()) break;
    }
    this._tidySeparators();
    this._orderMenu();
    if (wasOpen) this.open();
  }

  open() {
    for (const button of this.menu.querySelectorAll('button')) {
      const label = button.querySelector('.tool-label');
      if (label) label.textContent = button.getAttribute('aria-label') ?? '';
    }
    const anchor = this.more.getBoundingClientRect();
    this.menu.style.top = `${anchor.bottom + 6}px`;
    this.menu.style.right = `${Math.max(8, window.innerWidth - anchor.right)}px`;
    this.menu.hidden = false;
    this.more.setAttribute('aria-expanded', 'true');
  }

  close() {
    this.menu.hidden = true;
    this.more.setAttribute('aria-expanded', 'false');
  }

  _fits() {
    return this.toolbar.scrollWidth <= this.toolbar.clientWidth + SLACK_PX;
  }

  /** The menu lists its tools in the bar's order, as people saw them there. */
  _orderMenu() {
    const rank = new Map(this.order.map((el, i) => [el, i]));
    const tools = [...this.menu.children].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
    this.menu.append(...tools);
  }

  /** A separator shows only between two visible tools. */
  _tidySeparators() {
    /** @type {HTMLElement|null} */
    let pending = null;
    let before = false;
    for (const child of /** @type {HTMLElement[]} */ ([...this.toolbar.children])) {
      if (child.classList.contains('tool-sep')) {
        child.classList.add('is-redundant');
        if (before && !pending && !child.hidden) pending = child;
      } else if (!child.hidden && child !== this.more) {
        if (pending) pending.classList.remove('is-redundant');
        pending = null;
        before = true;
      }
    }
  }
}
