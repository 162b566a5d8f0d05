// @ts-check
/**
 * This person's way of looking at the map: the presentation (far) view and
 * others' pointers, toggled from the tool bar and kept in this browser
 * (model/look.js).
 *
 *   const look = new LookControl({ storage, cursorsLayer: byId('cursors'), requestRender });
 *   look.change({ far: !look.far });
 */

import { readLook, writeLook } from '../model/look.js';

export class LookControl {
  /**
   * @param {object} deps
   * @param {Storage|null} deps.storage
   * @param {HTMLElement} deps.cursorsLayer others' pointers, hidden when switched off
   * @param {() => void} deps.requestRender
   */
  constructor({ storage, cursorsLayer, requestRender }) {
    this.storage = storage;
    this.cursorsLayer = cursorsLayer;
    this.requestRender = requestRender;
    /** @type {import('../model/look.js').Look} */
    this.look = { far: false, cursors: true, ...readLook(storage) };
  }

  get far() { return this.look.far; }

  get cursors() { return this.look.cursors; }

  /** @param {Partial<import('../model/look.js').Look>} change {} to apply the stored look */
  change(change) {
    Object.assign(this.look, change);
    writeLook(this.storage, this.look);
    this.cursorsLayer.hidden = !this.look.cursors;
    this.requestRender();
  }
}
