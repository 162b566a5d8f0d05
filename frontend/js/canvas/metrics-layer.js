// @ts-check
/**
 * The map's arithmetic drawn on the canvas, live for everyone: the lead-time
 * ladder along the bottom (waits on the upper rung, process times on the lower,
 * totals at the right end) and the constraint, ringed with its queue and
 * labelled, so nobody can miss where work piles up.
 *
 * Redrawn only when the metrics or the positions of the steps they are about
 * change; all text goes in through textContent.
 *
 *   const layer = new MetricsLayer(scene);
 *   layer.render(metrics, elements, calendar);
 */

import { ladderLayout, queueBefore } from '../model/ladder.js';
import { formatDuration, showDuration } from '../model/durations.js';
import { BADGE_ABOVE } from '../model/frame-layout.js';
import { rectOf } from '../model/geometry.js';
import { attr, show, svg } from '../util/dom.js';
import { LastInputs } from './unchanged.js';

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {{hours_per_day: number, days_per_week: number}} Calendar
 * @typedef {import('../model/ladder.js').Ladder} Ladder
 */

// How far the constraint's ring stands off the step, and its badge above it.
export const RING_PAD = 12;
const BADGE_HEIGHT = 26;
const QUEUE_COUNT_ROOM = 52;
// Labels sit this far off their rung.
const LABEL_OFFSET = 10;
const ACTUAL_OFFSET = 26;
// Room the ladder's labels take beyond its rungs, and its totals to the right of its end (canvas units).
const LADDER_AIR = 60;
const TOTALS_W = 320;

export class MetricsLayer {
  /**
   * @param {import('./scene.js').Scene} scene
   * @param {{visible: () => {x: number, y: number, w: number, h: number}}|null} [viewport] to set the
   *   ladder aside while it is far off screen (its hundreds of labels are laid out again at each zoom step)
   */
  constructor(scene, viewport = null) {
    this.viewport = viewport;
    /** @type {{x: number, y: number, w: number, h: number}|null} where the ladder draws, canvas units */
    this._ladderBox = null;
    this.under = scene.underlay;
    this.over = scene.annotations;
    this.ladder = svg('g', { class: 'ladder', 'aria-label': 'Lead-time ladder', role: 'img' });
    this.ring = svg('g', { class: 'constraint-ring' });
    this.badge = svg('g', { class: 'constraint-badge' });
    this.under.append(this.ring, this.ladder);
    this.over.append(this.badge);
    this._key = '';
    this._ringKey = '';
    this._last = new LastInputs();
    this._lastLadder = new LastInputs();
  }

  /**
   * @param {any} metrics the server's metrics message body, or null
   * @param {Map<string, BoardElement>} elements the drawn view
   * @param {Calendar} calendar
   * @param {Map<string, BoardElement>} [landed] what the ladder is drawn from: the view without
   *   peers' drags in flight, so it stays put (and the map is not repainted) until they drop
   */
  render(metrics, elements, calendar, landed = elements) {
    this._cullLadder();
    if (!this._lastLadder.same(metrics, landed, calendar)) this._drawLadder(metrics, landed, calendar);
    if (this._last.same(metrics, elements, calendar)) return;
    const constraint = metrics?.constraint ? elements.get(metrics.constraint.id) : undefined;
    const queue = constraint ? queueBefore(constraint, elements) : [];
    const ringKey = JSON.stringify([constraint && rectOf(constraint), queue.map(rectOf), metrics?.constraint]);
    if (ringKey === this._ringKey) return;
    this._ringKey = ringKey;
    this.ring.replaceChildren(...(constraint ? drawRings(constraint, queue) : []));
    this.badge.replaceChildren(...(constraint ? drawBadge(constraint, metrics.constraint) : []));
  }

  /**
   * @param {any} metrics
   * @param {Map<string, BoardElement>} elements
   * @param {Calendar} calendar
   */
  _drawLadder(metrics, elements, calendar) {
    const ladder = ladderLayout(metrics, elements, calendar);
    // Drawn from its own start and moved as one group: a step dragged lower (or the
    // leftmost one dragged left) moves the whole ladder, which then needs a new
    // translate, not hundreds of new labels.
    const shape = ladder && ladderShape(ladder);
    const key = JSON.stringify([shape, metrics?.display, Boolean(metrics?.example), calendar]);
    if (key !== this._key) {
      this._key = key;
      this.ladder.replaceChildren(...(shape ? drawLadder(shape, metrics, calendar) : []));
    }
    if (ladder) attr(this.ladder, 'transform', `translate(${ladder.x0} ${ladder.top})`);
    this._ladderBox = ladder && { x: ladder.x0 - LADDER_AIR, y: ladder.top - LADDER_AIR, w: ladder.x1 - ladder.x0 + 2 * LADDER_AIR + TOTALS_W,
      h: ladder.bottom - ladder.top + 2 * LADDER_AIR };
    this._cullLadder();
  }

  /** The ladder is set aside while it is more than half a screen off it. */
  _cullLadder() {
    const box = this._ladderBox;
    if (!this.viewport || !box) return;
    const v = this.viewport.visible();
    const far = box.x > v.x + v.w * 1.5 || box.x + box.w < v.x - v.w * 0.5
      || box.y > v.y + v.h * 1.5 || box.y + box.h < v.y - v.h * 0.5;
    show(this.ladder, !far);
  }
}

/**
 * The ladder as drawn inside its group: from its own start (x0 and top at 0), so
 * ladders that differ only in where they stand draw the same.
 * @param {Ladder} ladder
 * @returns {Ladder}
 */
export function ladderShape(ladder) {
  const dx = ladder.x0;
  return {
    ...ladder, top: 0, bottom: ladder.bottom - ladder.top, x0: 0, x1: ladder.x1 - dx,
    segments: ladder.segments.map((s) => ({ ...s, x0: s.x0 - dx, x1: s.x1 - dx })),
  };
}

/**
 * @param {Ladder} ladder
 * @param {any} metrics
 * @param {Calendar} calendar
 * @returns {SVGElement[]}
 */
function drawLadder(ladder, metrics, calendar) {
  const { top, bottom } = ladder;
  const parts = [];
  let d = `M ${ladder.x0} ${top}`;
  for (const s of ladder.segments) {
    const y = s.kind === 'wait' ? top : bottom;
    d += ` L ${s.x0} ${y} L ${s.x1} ${y}`;
  }
  parts.push(svg('path', { class: 'ladder-line', d }));
  for (const s of ladder.segments) {
    const y = s.kind === 'wait' ? top : bottom;
    const mid = (s.x0 + s.x1) / 2;
    if (s.constraint) parts.push(svg('path', { class: 'ladder-constraint', d: `M ${s.x0} ${y} L ${s.x1} ${y}` }));
    const labelY = s.kind === 'wait' ? y - LABEL_OFFSET : y + LABEL_OFFSET + 12;
    const known = s.minutes !== null && s.minutes !== undefined;
    parts.push(svg('text', {
      class: `ladder-value ladder-${s.kind}${known ? '' : ' is-missing'}${s.constraint ? ' is-constraint' : ''}`,
      x: mid, y: labelY, 'text-anchor': 'middle', 'data-step': s.id,
    }, [known ? showDuration(/** @type {number} */ (s.minutes), s.typed, calendar) : '?']));
    if (s.actual !== null) {
      const actualY = s.kind === 'wait' ? y - ACTUAL_OFFSET : y + ACTUAL_OFFSET + 12;
      parts.push(svg('text', { class: 'ladder-actual', x: mid, y: actualY, 'text-anchor': 'middle' },
        [`actual ${formatDuration(s.actual, calendar)}`]));
    }
  }
  parts.push(...drawTotals(ladder, metrics));
  return parts;
}

/**
 * The timeline's totals, at its right end: lead time level with the waits,
 * process time level with the work, flow efficiency under them.
 * @param {Ladder} ladder
 * @param {any} metrics
 */
function drawTotals(ladder, metrics) {
  const x = ladder.x1 + 28;
  const shown = metrics.display ?? {};
  const line = (/** @type {number} */ y, /** @type {string} */ label, /** @type {string} */ value, cls = '') =>
    svg('text', { class: `ladder-total ${cls}`.trim(), x, y }, [
      svg('tspan', { class: 'ladder-total-label' }, [`${label} `]),
      svg('tspan', { class: 'ladder-total-value' }, [value]),
    ]);
  const out = [
    svg('path', { class: 'ladder-end', d: `M ${ladder.x1} ${ladder.bottom} L ${ladder.x1} ${ladder.top - 14} M ${x - 10} ${ladder.top - 22} L ${x - 10} ${ladder.bottom + 20}` }),
    line(ladder.top + 4, 'Lead time', shown.lead_time ?? ''),
    line(ladder.bottom + 4, 'Process time', shown.process_time ?? ''),
    line(ladder.bottom + 28, 'Activity ratio', shown.activity_ratio ?? '', 'is-small'),
  ];
  if (metrics.example) {
    out.push(line(ladder.bottom + 50, 'Example item', `${shown.example_lead_time} lead, ${shown.example_process_time} work`, 'is-actual'));
  }
  return out;
}

/**
 * @param {BoardElement} step
 * @param {BoardElement[]} queue
 */
function drawRings(step, queue) {
  return [step, ...queue].map((el) => {
    const r = rectOf(el);
    // An inventory's count and label sit under its triangle: the ring takes them in.
    const below = el === step ? 0 : QUEUE_COUNT_ROOM;
    return svg('rect', {
      class: el === step ? 'ring ring-step' : 'ring ring-queue',
      x: r.x - RING_PAD, y: r.y - RING_PAD, width: r.w + 2 * RING_PAD, height: r.h + 2 * RING_PAD + below,
      rx: 18, ry: 18,
    });
  });
}

/**
 * "Constraint · wait + work 36% of lead time" above the step; the full reason is its title.
 * @param {BoardElement} step
 * @param {{reason: string, share: number}} constraint
 */
function drawBadge(step, constraint) {
  const r = rectOf(step);
  // Its percent is the step's wait and work together; the reason (its title) gives the wait's own.
  const text = `Constraint · wait + work ${Math.round(constraint.share * 100)}% of lead time`;
  // No text measuring in SVG without layout: 7 px a character at 12 px is close for this font.
  const w = text.length * 7 + 24;
  const x = r.x + r.w / 2 - w / 2;
  const y = r.y - BADGE_ABOVE; // its ring's pad, then 6 px, then the badge: the header keeps above it
  return [svg('g', { class: 'badge', transform: `translate(${x} ${y})`, 'data-constraint': step.id }, [
    svg('title', {}, [constraint.reason]),
    svg('rect', { width: w, height: BADGE_HEIGHT, rx: BADGE_HEIGHT / 2, ry: BADGE_HEIGHT / 2 }),
    svg('text', { x: w / 2, y: BADGE_HEIGHT / 2 + 4, 'text-anchor': 'middle' }, [text]),
  ])];
}
