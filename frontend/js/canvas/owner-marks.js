// @ts-check
/**
 * Who does what, on the canvas: a small tag over each step's top-left corner
 * naming its team (colour chip + name) when the map has teams, and a
 * "handoff" chip at the middle of each flow arrow where work passes from one
 * team to another (the server's metrics.handoffs.edges).
 *
 * The tag sits in the air above the step: not on its name (inside the box),
 * not on its data box (under it), left of the comment bubble (top-right) and
 * under the constraint's badge. The chip sits on the arrow, or just under it
 * when the arrow carries a label.
 *
 *   const marks = new OwnerMarks(scene);
 *   marks.render(frame, elements, metrics);   // each frame
 */

import { connectorPath, connectorRoom, laneOffsets, rectOf } from '../model/geometry.js';
import { textWidth } from '../model/text-fit.js';
import { svg } from '../util/dom.js';
import { swatch } from './colors.js';
import { LastInputs } from './unchanged.js';

/**
 * @typedef {import('../protocol.js').Element} BoardElement
 * @typedef {{id: string, name: string, color: string}} Team
 * @typedef {{id: string, team: string, text: string, full: string, color: string, x: number, y: number, w: number}} OwnerTag
 * @typedef {{id: string, source: string, target: string, x: number, y: number, w: number}} HandoffChip
 */

export const TAG_HEIGHT = 15;
// Between the tag and the step's top edge; the constraint's badge ends 18 above the step.
const TAG_GAP = 2;
// Left of the comment bubble, which straddles the step's top-right corner.
const BUBBLE_ROOM = 30;
// The tags' and chips' text (teams.css .owner-tag text, .handoff-chip text): measured by the
// same generous estimate as every label (model/text-fit.js), since SVG text has no size before layout.
const TAG_TEXT = Object.freeze({ size: 10.5, lineHeight: 10.5, padX: 0, padY: 0, bold: true });
const TAG_PAD = 6;
const DOT_ROOM = 12;
export const CHIP_HEIGHT = 16;
const CHIP_TEXT = 'handoff';

/**
 * A team name cut to fit `room` canvas units of tag ("Development" → "Develo…").
 * @param {string} name
 * @param {number} room
 */
export function fitName(name, room) {
  if (textWidth(name, TAG_TEXT) <= room) return name;
  const chars = [...name];
  while (chars.length && textWidth(`${chars.join('').trimEnd()}…`, TAG_TEXT) > room) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/**
 * The owner tag over each owned step, where it goes and what it says.
 *
 *   ownerTags([{id: 's', kind: 'step', x: 0, y: 100, w: 168, h: 96, owner: 't'}], [{id: 't', name: 'QA', color: 'green'}]);
 *   // [{id: "s", team: "t", text: "QA", full: "QA", color: "green", x: 0, y: 83, w: 37}]
 *
 * @param {Iterable<BoardElement>} elements
 * @param {Team[]} teams
 * @returns {OwnerTag[]}
 */
export function ownerTags(elements, teams) {
  const byId = new Map(teams.map((t) => [t.id, t]));
  const tags = [];
  for (const el of elements) {
    const team = el.kind === 'step' ? byId.get(/** @type {any} */ (el).owner) : undefined;
    if (!team) continue;
    const r = rectOf(el);
    const room = Math.max(DOT_ROOM + TAG_PAD * 2, r.w - BUBBLE_ROOM);
    const text = fitName(team.name, room - DOT_ROOM - TAG_PAD * 2);
    const w = Math.min(room, Math.ceil(DOT_ROOM + TAG_PAD * 2 + textWidth(text, TAG_TEXT)));
    tags.push({ id: el.id, team: team.id, text, full: team.name, color: team.color, x: r.x, y: r.y - TAG_GAP - TAG_HEIGHT, w });
  }
  return tags;
}

/**
 * The arrow that carries each handoff and the chip's place on it: the flow arrow
 * from one step to the other, or, with a queue (inventory) between them, the
 * arrow from the queue into the step that receives the work.
 * @param {[string, string][]} edges [source step id, target step id]
 * @param {Map<string, BoardElement>} elements
 * @param {import('../model/boxes.js').Figures} [figures] the board's measurement (arrows keep off its lines)
 * @returns {HandoffChip[]}
 */
export function handoffChips(edges, elements, figures) {
  if (!edges.length) return [];
  const flows = [...elements.values()].filter((el) => el.kind === 'connector' && (el.connector ?? 'flow') === 'flow');
  const lanes = laneOffsets(elements.values());
  const chips = [];
  for (const [from, to] of edges) {
    let arrow = flows.find((c) => c.source === from && c.target === to);
    if (!arrow) {
      arrow = flows.find((c) => c.target === to && elements.get(c.source ?? '')?.kind === 'inventory'
        && flows.some((d) => d.source === from && d.target === c.source));
    }
    const source = elements.get(arrow?.source ?? '');
    const target = elements.get(arrow?.target ?? '');
    if (!arrow || !source || !target) continue;
    const { mid } = connectorPath(rectOf(source), rectOf(target), 'flow', connectorRoom(arrow, source, target, elements, lanes, figures));
    const w = Math.ceil(textWidth(CHIP_TEXT, TAG_TEXT) + TAG_PAD * 2);
    // An arrow's own label sits just above its middle (canvas/shapes.js): the chip goes under it then.
    const labelled = Boolean(arrow.text);
    chips.push({ id: arrow.id, source: from, target: to, x: mid.x - w / 2, y: labelled ? mid.y + 4 : mid.y - CHIP_HEIGHT / 2, w });
  }
  return chips;
}

export class OwnerMarks {
  /** @param {import('./scene.js').Scene} scene */
  constructor(scene) {
    this.tags = svg('g', { class: 'owner-tags' });
    this.chips = svg('g', { class: 'handoff-chips' });
    scene.annotations.prepend(this.tags, this.chips);
    this._key = '';
    this._last = new LastInputs();
  }

  /**
   * @param {Record<string, unknown>} frame the board frame (`teams`)
   * @param {Map<string, BoardElement>} elements the drawn view
   * @param {any} metrics the server's (`handoffs.edges`, and `measured`: arrows keep off its lines)
   * @param {{hours_per_day: number, days_per_week: number}} [calendar] the board's (from `frame`)
   */
  render(frame, elements, metrics, calendar) {
    if (this._last.same(frame, elements, metrics)) return;
    const teams = Array.isArray(frame.teams) ? /** @type {Team[]} */ (frame.teams) : [];
    const tags = teams.length ? ownerTags(elements.values(), teams) : [];
    const chips = handoffChips(metrics?.handoffs?.edges ?? [], elements, { measured: metrics?.measured, calendar });
    const key = JSON.stringify([tags, chips]);
    if (key === this._key) return;
    this._key = key;
    this.tags.replaceChildren(...tags.map(drawTag));
    this.chips.replaceChildren(...chips.map(drawChip));
  }
}

/** @param {OwnerTag} tag */
function drawTag(tag) {
  const s = swatch(tag.color, 'grey');
  return svg('g', { class: 'owner-tag', transform: `translate(${tag.x} ${tag.y})`, 'data-owner-of': tag.id, 'data-team': tag.team }, [
    svg('title', {}, [`Owner: ${tag.full}`]),
    svg('rect', { width: tag.w, height: TAG_HEIGHT, rx: TAG_HEIGHT / 2, ry: TAG_HEIGHT / 2, stroke: s.border }),
    svg('circle', { cx: TAG_PAD + 4, cy: TAG_HEIGHT / 2, r: 4, fill: s.fill, stroke: s.border }),
    svg('text', { x: TAG_PAD + DOT_ROOM, y: TAG_HEIGHT / 2 + 3.5 }, [tag.text]),
  ]);
}

/** @param {HandoffChip} chip */
function drawChip(chip) {
  return svg('g', { class: 'handoff-chip', transform: `translate(${chip.x} ${chip.y})`, 'data-handoff': chip.id,
    'data-handoff-from': chip.source, 'data-handoff-to': chip.target }, [
    svg('title', {}, ['Handoff: the work passes to another team here']),
    svg('rect', { width: chip.w, height: CHIP_HEIGHT, rx: CHIP_HEIGHT / 2, ry: CHIP_HEIGHT / 2 }),
    svg('text', { x: chip.w / 2, y: CHIP_HEIGHT / 2 + 3.5, 'text-anchor': 'middle' }, [CHIP_TEXT]),
  ]);
}
