// @ts-check
/**
 * Identifiers made in the browser: element ids and client operation ids (cids).
 *
 *   const nextCid = cidFactory('c-Fq3…');       // this browser's client id
 *   nextCid();                                  // -> "c-Fq3…:k3j9x0.1"
 *   elementId('step');                          // -> "s-0f3kq9z1ab"
 */

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
// Ten base36 characters are ~51 bits: collisions on one board are out of reach.
const ELEMENT_ID_LENGTH = 10;

/** @type {Record<string, string>} */
const PREFIX = { step: 's-', connector: 'c-', note: 'n-', inventory: 'i-' };

/**
 * Random base36 characters from crypto.getRandomValues.
 * @param {number} length
 */
export function randomId(length) {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let out = '';
  // 252 = 7 * 36: rejecting bytes above it keeps every character equally likely.
  for (let i = 0; out.length < length; i++) {
    if (i >= bytes.length) {
      crypto.getRandomValues(bytes);
      i = 0;
    }
    if (bytes[i] < 252) out += BASE36[bytes[i] % 36];
  }
  return out;
}

/**
 * A fresh element id, e.g. `s-` + 10 base36 characters for a step.
 * @param {import('../protocol.js').ElementKind} kind
 */
export function elementId(kind) {
  return (PREFIX[kind] ?? 'e-') + randomId(ELEMENT_ID_LENGTH);
}

/**
 * Client operation ids `${client}:${page}.${counter}`: they begin with this browser's
 * client id, as the server requires (nobody may spend another's ids), and a random
 * part per page load keeps two tabs of one browser apart.
 * @param {string} client
 * @returns {() => string}
 */
export function cidFactory(client) {
  const page = randomId(6);
  let counter = 0;
  return () => `${client}:${page}.${++counter}`;
}

/**
 * Whether an operation id is this client's: one an older page left pending may not be.
 * @param {string|undefined} cid
 * @param {string} client
 */
export function isOwnCid(cid, client) {
  return typeof cid === 'string' && cid.startsWith(`${client}:`);
}

/**
 * Unsent operations kept by an older page may carry ids that are not this
 * client's: those get new ones, so the server's acknowledgements match.
 * @template {{cid: string}} T
 * @param {T[]} ops
 * @param {string} client
 * @param {() => string} nextCid
 * @returns {T[]}
 */
export function adoptOps(ops, client, nextCid) {
  return ops.map((op) => (isOwnCid(op.cid, client) ? op : { ...op, cid: nextCid() }));
}
