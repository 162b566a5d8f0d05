// @ts-check
/**
 * The facilitator's countdown dialog: how many minutes, and what for.
 *
 *   bindTimerDialog(dialog, {start: (seconds, label) => ..., stop: () => ...});
 */

// The server refuses timers longer than this (app/domain/fields.py MAX_TIMER_SECONDS).
const MAX_MINUTES = 240;

/**
 * @param {HTMLDialogElement} dialog
 * @param {{start: (seconds: number, label: string) => void, stop: () => void}} actions
 */
export function bindTimerDialog(dialog, actions) {
  const form = /** @type {HTMLFormElement} */ (dialog.querySelector('form'));
  const minutes = /** @type {HTMLInputElement} */ (form.elements.namedItem('minutes'));
  const label = /** @type {HTMLInputElement} */ (form.elements.namedItem('label'));
  form.addEventListener('submit', () => {
    const value = Math.min(MAX_MINUTES, Math.max(1, Math.round(Number(minutes.value) || 0)));
    actions.start(value * 60, label.value.trim());
  });
  dialog.querySelector('[data-action="timer-stop"]')?.addEventListener('click', () => {
    actions.stop();
    dialog.close();
  });
}
