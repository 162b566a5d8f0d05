// @ts-check
/**
 * What the facilitator runs and everyone sees, under the tool bar: the lock
 * ("editing is paused"), the countdown of a timeboxed exercise, and who you are
 * following (with a way out). The facilitator's own controls — lock, timer,
 * present — are tool-bar buttons; their state shows here for everyone.
 *
 *   const bar = new SessionBar(document.getElementById('session-bar'), {stopFollowing}, {room, watch});
 *   bar.render({frame, skew, following: 'Ada', presenting: false, role: 'participant'});
 *
 * It sits under the top bar (one row or, on a phone, several) and between the side
 * panels, centred in the room they leave: placed again whenever one of `watch` (the top
 * bar's parts, the panels) changes size or shows, and on a resize. Never on a panel.
 */

import { html } from '../util/dom.js';

/**
 * @typedef {object} SessionState
 * @property {Record<string, unknown>} frame   the board's frame (locked, timer_ends_at, timer_label)
 * @property {number} skew                     server clock minus ours, in ms
 * @property {string|null} following           the name of whom we follow
 * @property {boolean} presenting              we are the presenter
 * @property {string} role
 */

// The last minute of a countdown shows in red.
const HURRY_MS = 60_000;
// Its distance from the top bar, and from a panel's edge or the screen's.
const GAP_PX = 8;
const EDGE_PX = 12;

// Our estimate of the server's clock is off by up to the network's delay: a countdown this
// little over a whole second shows that second, so a 10-minute timer starts at 10:00 and not
// at 10:01 (its last quarter second shows 0:00, before "Time is up").
const SYNC_SLACK_MS = 250;

/**
 * "4:05" from milliseconds left: rounded up, past the slack for the clocks' agreement.
 * @param {number} ms
 */
export function clock(ms) {
  const total = Math.max(0, Math.ceil((ms - SYNC_SLACK_MS) / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/**
 * What the bar's countdown reads, `ms` before its end: its time left, or "Time is up". The bar
 * draws anew only when this changes; keyed on the clock alone, a countdown whose last quarter
 * second read "0:00" (SYNC_SLACK_MS) stayed at 0:00 for good.
 * @param {number} ms
 */
export function timerText(ms) {
  return ms <= 0 ? 'Time is up' : clock(ms);
}

export class SessionBar {
  /**
   * @param {HTMLElement} root
   * @param {{stopFollowing: () => void, stopPresenting: () => void}} actions
   * @param {{room: () => {top: number, left: number, right?: number}, watch: Element[]}} [layout]
   *   `room`: the screen's part left free: below `top`, `left` and `right` in from its sides
   */
  constructor(root, actions, layout = { room: () => ({ top: 58, left: 0, right: 0 }), watch: [] }) {
    this.root = root;
    this.actions = actions;
    this.room = layout.room;
    const place = () => this._place();
    const watch = new ResizeObserver(place);
    for (const el of layout.watch) watch.observe(el);
    window.addEventListener('resize', place);
    this._key = '';
    /** @type {SessionState|null} */
    this.state = null;
    this._ticker = 0;
    root.addEventListener('click', (e) => {
      const action = /** @type {HTMLElement} */ (e.target).closest('[data-session]')?.getAttribute('data-session');
      if (action === 'stop-following') this.actions.stopFollowing();
      if (action === 'stop-presenting') this.actions.stopPresenting();
    });
  }

  /** @param {SessionState} state */
  render(state) {
    this.state = state;
    const ends = typeof state.frame.timer_ends_at === 'string' ? Date.parse(state.frame.timer_ends_at) : NaN;
    const left = Number.isFinite(ends) ? ends - (Date.now() + state.skew) : null;
    const key = JSON.stringify([state.frame.locked, state.frame.timer_label, left === null ? null : timerText(left),
      state.following, state.presenting, state.role]);
    this._tick(left !== null && left > -HURRY_MS);
    if (key === this._key) return;
    this._key = key;
    const items = [];
    if (state.frame.locked) {
      items.push(html('div', { class: 'session-item is-locked', 'data-session-item': 'locked' }, [
        state.role === 'facilitator' ? 'Editing is paused for participants' : 'The facilitator has paused editing',
      ]));
    }
    if (left !== null) {
      const done = left <= 0;
      const label = typeof state.frame.timer_label === 'string' && state.frame.timer_label
        ? [html('span', { class: 'timer-label' }, [state.frame.timer_label])] : [];
      items.push(html('div', {
        class: `session-item is-timer${done ? ' is-done' : left < HURRY_MS ? ' is-hurry' : ''}`,
        'data-session-item': 'timer', role: 'timer', 'aria-live': 'off',
      }, [...label, html('strong', { 'data-timer': '' }, [timerText(left)])]));
    }
    if (state.following) {
      items.push(html('div', { class: 'session-item is-following', 'data-session-item': 'following' }, [
        html('span', {}, ['Following ', html('bdi', {}, [state.following])]),
        html('button', { type: 'button', class: 'link', 'data-session': 'stop-following' }, ['Stop following']),
      ]));
    }
    if (state.presenting) {
      items.push(html('div', { class: 'session-item is-presenting', 'data-session-item': 'presenting' }, [
        'Everyone follows your view',
        html('button', { type: 'button', class: 'link', 'data-session': 'stop-presenting' }, ['Stop presenting']),
      ]));
    }
    const shows = items.length > 0 && this.root.hidden;
    this.root.hidden = !items.length;
    this.root.replaceChildren(...items);
    if (shows) this._place();
  }

  /** Under the top bar, centred between the side panels, no wider than the room between them. */
  _place() {
    if (this.root.hidden) return;
    const { top, left, right = 0 } = this.room();
    const width = Math.max(0, window.innerWidth - left - right - 2 * EDGE_PX);
    const style = this.root.style;
    style.top = `${Math.round(top + GAP_PX)}px`;
    style.left = `${Math.round(left + EDGE_PX + width / 2)}px`;
    style.maxWidth = `${Math.floor(width)}px`;
  }

  /** @param {boolean} running keep the countdown moving once a second */
  _tick(running) {
    if (running && !this._ticker) {
      this._ticker = window.setInterval(() => this.state && this.render(this.state), 1000);
    } else if (!running && this._ticker) {
      window.clearInterval(this._ticker);
      this._ticker = 0;
    }
  }
}
