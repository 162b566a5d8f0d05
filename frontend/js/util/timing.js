// @ts-check
/**
 * Rate limits for live messages (cursors, drags).
 *
 *   const sendCursor = throttle((x, y) => socket.send(...), 50);   // at most 20 a second
 *   sendCursor(1, 2); sendCursor(3, 4);   // first goes now, the last one 50 ms later
 */

/**
 * Call `fn` at most once per `interval` ms: the first call at once, and the
 * latest arguments of a burst once the interval has passed (nothing is lost at
 * the end of a movement).
 * @template {unknown[]} A
 * @param {(...args: A) => void} fn
 * @param {number} interval ms
 * @param {{now?: () => number, setTimeout?: (f: () => void, ms: number) => unknown, clearTimeout?: (t: any) => void}} [clock]
 */
export function throttle(fn, interval, clock = {}) {
  const now = clock.now ?? (() => performance.now());
  const later = clock.setTimeout ?? ((f, ms) => setTimeout(f, ms));
  const cancelLater = clock.clearTimeout ?? ((t) => clearTimeout(t));
  let last = -Infinity;
  /** @type {A|null} */
  let queued = null;
  /** @type {unknown} */
  let timer = null;

  const fire = () => {
    timer = null;
    if (!queued) return;
    const args = queued;
    queued = null;
    last = now();
    fn(...args);
  };

  /** @param {A} args */
  const throttled = (...args) => {
    queued = args;
    const wait = interval - (now() - last);
    if (wait <= 0) {
      if (timer !== null) cancelLater(timer);
      fire();
    } else if (timer === null) {
      timer = later(fire, wait);
    }
  };
  /** Send what is queued now (e.g. on drop). */
  throttled.flush = () => {
    if (timer !== null) cancelLater(timer);
    fire();
  };
  /** Forget what is queued. */
  throttled.cancel = () => {
    if (timer !== null) cancelLater(timer);
    timer = null;
    queued = null;
  };
  return throttled;
}
