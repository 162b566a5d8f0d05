// @ts-check
/**
 * Ask for a display name once and remember it ('flowmap.name'); asked again
 * from the "you" chip to rename.
 *
 *   const name = storedName(storage) ?? await askName(dialog, {required: true});
 */

import { MAX_NAME } from '../protocol.js';

export const NAME_KEY = 'flowmap.name';

// Format and control characters: nothing to see, or they turn the text around; and the
// letters, symbols and marks that draw nothing (Hangul fillers, the blank Braille pattern,
// the grapheme joiner, Khmer's silent vowels), as app/domain/names.py _BLANKS.
const UNSEEN = /[\p{Cf}\p{Cc}\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0]/gu;
// What a name needs to be seen: a letter, digit, sign or symbol (marks alone show nothing).
const SEEN = /[\p{L}\p{N}\p{P}\p{S}]/u;

/**
 * A name as the server will show it (app/domain/names.py person_name): invisible characters
 * out, runs of spaces made one. Empty when nothing is left to see: the server refuses
 * such a hello, and a page that sent one waited on "Connecting…" for ever.
 * @param {string} name
 */
export function personName(name) {
  const shown = name.replace(UNSEEN, '').split(/\s+/u).filter(Boolean).join(' ');
  return SEEN.test(shown) ? shown : '';
}

/** @param {Pick<Storage, 'getItem'>|null} storage */
export function storedName(storage) {
  const name = personName(storage?.getItem(NAME_KEY) ?? '');
  return name ? name.slice(0, MAX_NAME) : null;
}

/** @param {Pick<Storage, 'setItem'>|null} storage @param {string} name */
export function storeName(storage, name) {
  try {
    storage?.setItem(NAME_KEY, name);
  } catch {
    // Not remembered: we ask again next time.
  }
}

/**
 * Show the dialog until a name is given (or, when not required, it is dismissed).
 * @param {HTMLDialogElement} dialog holds a form with an input[name=name]
 * @param {{initial?: string, required?: boolean, dismiss?: string}} [opts]
 *   dismiss: the words on the button that goes without a name (default "Cancel")
 * @returns {Promise<string|null>} the trimmed name, or null if dismissed
 */
export function askName(dialog, opts = {}) {
  const form = /** @type {HTMLFormElement} */ (dialog.querySelector('form'));
  const input = /** @type {HTMLInputElement} */ (form.elements.namedItem('name'));
  const cancel = /** @type {HTMLButtonElement|null} */ (form.querySelector('[data-action="cancel"]'));
  input.value = opts.initial ?? '';
  input.maxLength = MAX_NAME;
  if (cancel) {
    cancel.hidden = Boolean(opts.required);
    cancel.textContent = opts.dismiss ?? 'Cancel';
  }
  return new Promise((resolve) => {
    let settled = false;
    /** @param {SubmitEvent} e */
    const submit = (e) => {
      e.preventDefault();
      const name = personName(input.value).slice(0, MAX_NAME);
      if (!name) {
        input.setCustomValidity('Please enter a name others will see.');
        input.reportValidity();
        return;
      }
      finish(name);
    };
    /** @param {Event} e */
    const onCancel = (e) => {
      if (opts.required) e.preventDefault(); // Escape must not leave the board nameless
    };
    /** @param {KeyboardEvent} e */
    const onKey = (e) => {
      if (e.key === 'Escape' && opts.required) e.preventDefault();
    };
    // Browsers may close a modal on Escape even when told not to (no user activation yet).
    const onClose = () => {
      if (settled) return;
      if (opts.required) dialog.showModal();
      else finish(null);
    };
    const clear = () => input.setCustomValidity('');
    const dismiss = () => finish(null);
    /** @param {string|null} value */
    const finish = (value) => {
      settled = true;
      form.removeEventListener('submit', submit);
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('keydown', onKey);
      dialog.removeEventListener('close', onClose);
      input.removeEventListener('input', clear);
      cancel?.removeEventListener('click', dismiss);
      if (dialog.open) dialog.close();
      resolve(value);
    };
    form.addEventListener('submit', submit);
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('keydown', onKey);
    dialog.addEventListener('close', onClose);
    input.addEventListener('input', clear);
    cancel?.addEventListener('click', dismiss);
    dialog.showModal();
    input.focus();
    input.select();
  });
}
