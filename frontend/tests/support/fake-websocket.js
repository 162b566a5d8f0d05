// @ts-check
/**
 * A stand-in for the browser's WebSocket in the socket tests: it records what is
 * sent, and the test opens it, feeds it messages and drops it.
 *
 *   globalThis.WebSocket = FakeWebSocket; FakeWebSocket.made = [];
 *   const ws = FakeWebSocket.made.at(-1); ws.open(); ws.receive({type: 'pong'}); ws.drop();
 */
export class FakeWebSocket {
  static OPEN = 1;
  /** @type {FakeWebSocket[]} every one made, in order */
  static made = [];
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
