// @ts-check
/**
 * The page's buttons: the tool bar (add step, arrow, undo, redo, help) and
 * the zoom controls. Each button names its action in `data-action`; the
 * page hands in what each action does. Editing controls carry
 * `data-edit-only` and disappear for viewers.
 *
 *   const controls = new Controls(document.body, {'add-step': () => ..., 'zoom-in': () => ...});
 *   controls.update({canEdit: true, canUndo: false, canRedo: false, zoom: 1, connectable: true});
 */

/**
 * @typedef {{canEdit: boolean, canUndo: boolean, canRedo: boolean, zoom: number, connectable: boolean,
 *   facilitator?: boolean, locked?: boolean, presenting?: boolean, far?: boolean, cursors?: boolean}} ControlState
 */

export class Controls {
  /**
   * @param {HTMLElement} root
   * @param {Record<string, () => void>} actions
   * @param {() => void} [changed] after the set of buttons shown changed
   */
  constructor(root, actions, changed = () => {}) {
    this.root = root;
    this.changed = changed;
    root.addEventListener('click', (e) => {
      const button = /** @type {Element} */ (e.target).closest?.('button[data-action]');
      const action = button?.getAttribute('data-action');
      if (!button || !action || !actions[action] || button.closest('.context-bar, dialog')) return;
      actions[action]();
    });
    /** @type {ControlState|null} */
    this.last = null;
    /** @type {Map<string, HTMLButtonElement>} */
    this._buttons = new Map();
  }

  /** @param {ControlState} state */
  update(state) {
    const last = this.last;
    if (last && Object.entries(state).every(([k, v]) => last[/** @type {keyof ControlState} */ (k)] === v)) return;
    this.last = { ...state };
    // The root is the page, canvas and all: on a big map each search of it costs
    // milliseconds, and a zoom changes the state every frame. Search when the role changed.
    const roleChanged = !last || last.canEdit !== state.canEdit || last.facilitator !== state.facilitator;
    if (roleChanged) {
      for (const el of this.root.querySelectorAll('[data-edit-only]')) {
        /** @type {HTMLElement} */ (el).hidden = !state.canEdit;
      }
      for (const el of this.root.querySelectorAll('[data-view-only]')) {
        /** @type {HTMLElement} */ (el).hidden = state.canEdit;
      }
      for (const el of this.root.querySelectorAll('[data-facilitator-only]')) {
        /** @type {HTMLElement} */ (el).hidden = !state.facilitator;
      }
    }
    this._press('lock', Boolean(state.locked), state.locked ? 'Let participants edit again' : 'Pause editing for participants');
    this._press('present', Boolean(state.presenting), state.presenting ? 'Stop presenting' : 'Present: everyone follows your view');
    this._press('far-view', Boolean(state.far), state.far ? 'Leave presentation view' : 'Presentation view');
    this._press('cursors', state.cursors !== false, state.cursors === false ? "Show others' pointers" : "Hide others' pointers");
    this._enable('undo', state.canUndo);
    this._enable('redo', state.canRedo);
    this._enable('connect', state.connectable);
    const level = this._button('zoom-reset');
    if (level) {
      const percent = `${Math.round(state.zoom * 100)}%`;
      level.textContent = percent;
      level.setAttribute('aria-label', `Zoom ${percent}. Reset to 100%`);
    }
    // Only which buttons show changes the bar's width (a zoom changes many frames a second).
    if (roleChanged) this.changed();
  }

  /**
   * The page's button for an action (the page's buttons stay; the search runs once each).
   * @param {string} action
   * @returns {HTMLButtonElement|null}
   */
  _button(action) {
    let button = this._buttons.get(action);
    if (!button?.isConnected) {
      button = /** @type {HTMLButtonElement|null} */ (this.root.querySelector(`[data-action="${action}"]`));
      if (button) this._buttons.set(action, button);
    }
    return button ?? null;
  }

  /** @param {string} action @param {boolean} on @param {string} label */
  _press(action, on, label) {
    const button = this._button(action);
    if (!button) return;
    if (button.getAttribute('aria-pressed') !== String(on)) button.setAttribute('aria-pressed', String(on));
    if (button.getAttribute('aria-label') !== label) button.setAttribute('aria-label', label);
  }

  /** @param {string} action @param {boolean} enabled */
  _enable(action, enabled) {
    const button = this._button(action);
    if (button) button.disabled = !enabled;
  }
}
