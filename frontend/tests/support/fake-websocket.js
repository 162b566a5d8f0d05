// @ts-check
/**
 * A stand-in for the browser's WebSocket in the socket tests: it records what is
 * sent, and the test opens it, feeds it messages and drops it.
 *
 *   standInBrowser();   // before each test: WebSocket, window, document, navigator
 *   const ws = FakeWebSocket.latest(); ws.open(); ws.receive({type: 'pong'}); ws.drop();
 */
export class FakeWebSocket {
  static OPEN = 1;
  /** @type {FakeWebSocket[]} every one made, in order */
  static made = [];

  /** The one made last. */
  static latest() {
    return FakeWebSocket.made[FakeWebSocket.made.length - 1];
  }
  /** @param {string} url */
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    /** @type {string[]} */
    this.sent = [];
    this.closed = false;
    /** @type {number|null} the code it was closed with (by the page) */
    this.closedWith = null;
    /** @type {any} */ this.onopen = null;
    /** @type {any} */ this.onmessage = null;
    /** @type {any} */ this.onclose = null;
    /** @type {any} */ this.onerror = null;
    FakeWebSocket.made.push(this);
  }

  /** @param {string} data */
  send(data) { this.sent.push(data); }

  /** @param {number} [code] */
  close(code = 1000) {
    this.closed = true;
    this.closedWith = code;
    this.readyState = 3;
  }

  open() {
    this.readyState = 1;
    this.onopen?.({ type: 'open' });
  }

  /** @param {object} message */
  receive(message) { this.onmessage?.({ data: JSON.stringify(message) }); }

  /** The connection is lost (or refused), with this close code. */
  drop(code = 1006, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

/** What a socket reaches for in a page, as stand-ins: no socket made yet, a visible tab, online. */
export function standInBrowser() {
  FakeWebSocket.made = [];
  Object.assign(globalThis, { WebSocket: FakeWebSocket, window: new EventTarget() });
  const visible = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  Object.defineProperty(globalThis, 'document', { value: visible, configurable: true, writable: true });
  Object.defineProperty(globalThis, 'navigator', { value: { onLine: true }, configurable: true, writable: true });
}
