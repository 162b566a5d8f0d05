// @ts-check
/**
 * This person's name, as the others see it: asked once (and kept in this
 * browser), changed by a click on one's own name. The name travels in the
 * socket's hello, so a new name reconnects.
 *
 *   const naming = new Naming({ storage, dialog: byId('name-dialog'), restart: () => socket.restart() });
 *   await naming.ensure();   // before the socket starts
 *   naming.name;             // 'Ada'
 */

import { askName, storeName, storedName } from '../ui/name-dialog.js';

export class Naming {
  /**
   * @param {object} deps
   * @param {Storage|null} deps.storage
   * @param {HTMLDialogElement} deps.dialog
   * @param {() => void} deps.restart reconnect, so the others learn the new name
   */
  constructor({ storage, dialog, restart }) {
    this.storage = storage;
    this.dialog = dialog;
    this.restart = restart;
    this.name = storedName(storage) ?? '';
  }

  /** Ask for a name when this browser has none. */
  async ensure() {
    if (this.name) return;
    this.name = (await askName(this.dialog, { required: true })) ?? 'Guest';
    storeName(this.storage, this.name);
  }

  async rename() {
    const next = await askName(this.dialog, { initial: this.name });
    if (!next || next === this.name) return;
    this.name = next;
    storeName(this.storage, this.name);
    this.restart(); // the name travels in hello
  }
}
