// @ts-check
/**
 * The facilitator's countdown dialog: how many minutes, and what for. What it says and offers
 * follows the board's timer (it offered "Stop the timer" with none running): none, running
 * (its time left, a way to stop it, Start replaces it), or run out ("Time is up" shown to
 * everyone until it is cleared).
 *
 *   bindTimerDialog(dialog, {start: (seconds, label) => ..., stop: () => ..., timer: () => ({frame, skew})});
 *   timerWords({timer_ends_at: '2026-12-05T10:05:00Z', timer_label: 'Add the wait times'}, now);
 */

import { clock } from './session-bar.js';

// The server refuses timers longer than this (app/domain/fields.py MAX_TIMER_SECONDS).
const MAX_MINUTES = 240;
// While open, the dialog reads the timer this often: its time left, and a timer started or
// stopped elsewhere (another facilitator, another tab) meanwhile.
const REFRESH_MS = 500;

/**
 * @typedef {{timer_ends_at?: unknown, timer_label?: unknown}} TimerFrame the board's frame
 * @typedef {{status: string, stop: string|null, start: string}} TimerWords
 *   what the dialog says, its stop button's words (null: none to show), its start button's
 */

/**
 * What the dialog says for the board's timer at `now` (the server's clock, in ms).
 * @param {TimerFrame} frame
 * @param {number} now
 * @returns {TimerWords}
 */
export function timerWords(frame, now) {
  const ends = typeof frame.timer_ends_at === 'string' ? Date.parse(frame.timer_ends_at) : NaN;
  if (!Number.isFinite(ends)) return { status: 'No countdown is running.', stop: null, start: 'Start' };
  const label = typeof frame.timer_label === 'string' && frame.timer_label ? ` for “${frame.timer_label}”` : '';
  const left = ends - now;
  if (left <= 0) return { status: `Time is up${label}: everyone sees it until you clear it.`, stop: 'Clear the timer', start: 'Start' };
  return { status: `A countdown${label} is running: ${clock(left)} left.`, stop: 'Stop the timer', start: 'Start again' };
}

/**
 * @param {HTMLDialogElement} dialog
 * @param {{start: (seconds: number, label: string) => void, stop: () => void,
 *   timer?: () => {frame: TimerFrame, skew: number}}} actions
 *   timer: the board's frame and how far the server's clock is ahead of ours (ms)
 */
export function bindTimerDialog(dialog, actions) {
  const form = /** @type {HTMLFormElement} */ (dialog.querySelector('form'));
  const minutes = /** @type {HTMLInputElement} */ (form.elements.namedItem('minutes'));
  const label = /** @type {HTMLInputElement} */ (form.elements.namedItem('label'));
  const stop = /** @type {HTMLButtonElement} */ (dialog.querySelector('[data-action="timer-stop"]'));
  const start = /** @type {HTMLButtonElement|null} */ (dialog.querySelector('#timer-start'));
  const status = dialog.querySelector('[data-timer-status]');
  form.addEventListener('submit', () => {
    const value = Math.min(MAX_MINUTES, Math.max(1, Math.round(Number(minutes.value) || 0)));
    actions.start(value * 60, label.value.trim());
  });
  stop.addEventListener('click', () => {
    actions.stop();
    dialog.close();
  });
  const refresh = () => {
    if (!actions.timer) return;
    const { frame, skew } = actions.timer();
    const words = timerWords(frame, Date.now() + skew);
    if (status && status.textContent !== words.status) status.textContent = words.status;
    stop.hidden = words.stop === null;
    if (words.stop !== null && stop.textContent !== words.stop) stop.textContent = words.stop;
    if (start && start.textContent !== words.start) start.textContent = words.start;
  };
  // However it is opened (the top bar, the "More" menu, a shortcut): it says the timer as it is then.
  let ticking = 0;
  new MutationObserver(() => {
    clearInterval(ticking);
    if (!dialog.open) return;
    refresh();
    ticking = window.setInterval(refresh, REFRESH_MS);
  }).observe(dialog, { attributes: true, attributeFilter: ['open'] });
  refresh();
}
