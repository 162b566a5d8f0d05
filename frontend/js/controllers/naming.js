// @ts-check
/**
 * This person's name, as the others see it: asked once (and kept in this
 * browser), changed by a click on one's own name. The name travels in the
 * socket's hello, so a new name reconnects. A viewer may decline ("Just look")
 * and is shown to the others as a guest, named by the server ("Guest", "Guest 2"...).
 *
 *   const naming = new Naming({ storage, dialog: byId('name-dialog'), restart: () => socket.restart() });
 *   await naming.ensure();   // before the socket starts
 *   naming.name;             // 'Ada'
 */

import { GUEST } from '../protocol.js';
import { askName, storeName, storedName } from '../ui/name-dialog.js';

// What a viewer who just looks joins as: the server gives each their own name ("Guest 2").
export { GUEST };

export class Naming {
  /**
   * @param {object} deps
   * @param {Storage|null} deps.storage
   * @param {HTMLDialogElement} deps.dialog
   * @param {() => void} deps.restart reconnect, so the others learn the new name
   * @param {() => boolean} [deps.mayJustLook] whether this page may watch without a name
   *   (a viewer's link: nothing it does carries a name but its place among the people)
   */
  constructor({ storage, dialog, restart, mayJustLook = () => false }) {
    this.storage = storage;
    this.dialog = dialog;
    this.restart = restart;
    this.mayJustLook = mayJustLook;
    this.name = storedName(storage) ?? '';
  }

  /**
   * Ask for a name when this browser has none. Someone who edits must give one (their
   * edits, comments and cursor carry it); a viewer may just look, and joins as GUEST
   * (the hello always carries a name), kept for this visit only: the next one asks again.
   */
  async ensure() {
    if (this.name) return;
    const look = this.mayJustLook();
    const given = await askName(this.dialog, look ? { dismiss: 'Just look' } : { required: true });
    if (given) storeName(this.storage, given);
    this.name = given ?? GUEST;
  }

  async rename() {
    const next = await askName(this.dialog, { initial: this.name });
    if (!next || next === this.name) return;
    this.name = next;
    storeName(this.storage, this.name);
    this.restart(); // the name travels in hello
  }
}
