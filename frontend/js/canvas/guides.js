// @ts-check
/**
 * What the pointer draws over the board while it works: the selection box
 * (marquee) dragged on empty canvas, and the snapping guides that show what a
 * dragged note lines up with. Both live in the scene's overlay layer, in
 * canvas coordinates, with strokes that stay thin at any zoom.
 *
 *   const guides = new Guides(scene);
 *   guides.marquee({x: 10, y: 10, w: 200, h: 120});   // or null to hide it
 *   guides.lines(snap.guides);                          // [] hides them
 */

import { attr, show, svg } from '../util/dom.js';

/** @typedef {import('../model/snap.js').Guide} Guide */

// Guides reach a little past the boxes they join, so their ends read as ends.
const OVERHANG = 12;

export class Guides {
  /** @param {import('./scene.js').Scene} scene */
  constructor(scene) {
    this.box = svg('rect', { class: 'marquee', 'data-marquee': '' });
    this.group = svg('g', { class: 'snap-guides', 'aria-hidden': 'true' });
    show(this.box, false);
    // Under the arrow handle and rubber band, which the connect tool put there first.
    scene.overlay.prepend(this.box, this.group);
  }

  /** @param {import('../model/geometry.js').Rect|null} r the marquee in canvas units, or null */
  marquee(r) {
    show(this.box, Boolean(r));
    if (!r) return;
    attr(this.box, 'x', r.x);
    attr(this.box, 'y', r.y);
    attr(this.box, 'width', r.w);
    attr(this.box, 'height', r.h);
  }

  /** @param {Guide[]} guides lines to show; the previous ones go */
  lines(guides) {
    const have = /** @type {SVGLineElement[]} */ ([...this.group.children]);
    while (have.length > guides.length) have.pop()?.remove();
    guides.forEach((g, i) => {
      const line = have[i] ?? this.group.appendChild(svg('line', { class: 'snap-guide' }));
      const [x1, y1, x2, y2] = g.axis === 'x'
        ? [g.at, g.from - OVERHANG, g.at, g.to + OVERHANG]
        : [g.from - OVERHANG, g.at, g.to + OVERHANG, g.at];
      attr(line, 'x1', x1);
      attr(line, 'y1', y1);
      attr(line, 'x2', x2);
      attr(line, 'y2', y2);
      attr(line, 'data-axis', g.axis);
    });
  }

  clear() {
    this.marquee(null);
    this.lines([]);
  }
}
