// @ts-check
/**
 * The pointer on the canvas: decides what a press means (pan, select and
 * drag, draw a selection box, draw an arrow, finish a keyboard arrow) and does
 * select, box-select and drag itself. Drags move optimistically, snap to the
 * notes around them (Alt: no snapping), stream `drag` frames to peers, and end
 * with one undoable edit that moves everything dragged. It also reports our
 * cursor to peers.
 *
 * A press on empty canvas draws a selection box; Space+drag, the middle
 * button, a finger, and any drag by a viewer pan instead.
 *
 *   const tool = new SelectTool({scene, viewport, editor, session, connect, textEdit});
 *   tool.attach();
 */

import { MAX_COORD, MAX_MOVES_PER_MESSAGE } from '../protocol.js';
import { boundsOf, touching } from '../model/align.js';
import { boxesOf, isBox, opensField } from '../model/boxes.js';
import { clamp, contains, hitTest, rectOf } from '../model/geometry.js';
import { SNAP_PIXELS, snap } from '../model/snap.js';
import { Guides } from './guides.js';
import { cardStep } from './far-layer.js';
import { BoxSelect } from './marquee.js';
import { ResizeTool } from './resize.js';

/**
 * @typedef {import('../protocol.js').Move} Move
 * @typedef {import('../model/geometry.js').Point} Point
 * @typedef {import('../model/align.js').Box} Box
 * @typedef {{pointerId: number, start: Point, origins: Map<string, Point>, moves: Move[], moved: boolean,
 *   toggled: boolean, id: string, area: import('../model/geometry.js').Rect|null, targets: Box[]}} Drag
 */

// Below this many screen pixels a press is a click, not a drag.
const DRAG_THRESHOLD = 3;
// A peer's screen reverts a drag that went quiet for 3 s; resend well before.
const DRAG_KEEPALIVE_MS = 1000;
// Hovering this close outside a note keeps its arrow handle reachable.
const HOVER_SLACK = 14;

export class SelectTool {
  /**
   * @param {object} deps
   * @param {import('./scene.js').Scene} deps.scene
   * @param {import('./viewport.js').Viewport} deps.viewport
   * @param {import('../editor.js').Editor} deps.editor
   * @param {import('../net/session.js').Session} deps.session
   * @param {import('./connect.js').ConnectTool} deps.connect
   * @param {import('./text-edit.js').TextEdit} deps.textEdit
   * @param {(id: string, field: string) => void} [deps.inspect]
   */
  constructor({ scene, viewport, editor, session, connect, textEdit, inspect = () => {} }) {
    this.scene = scene;
    /** Open a figure of an element for editing (the side panel). */
    this.inspect = inspect;
    this.viewport = viewport;
    this.editor = editor;
    this.session = session;
    this.connect = connect;
    this.textEdit = textEdit;
    /** The pointer's canvas position while it is over the canvas. @type {Point|null} */
    this.pointer = null;
    this.spaceHeld = false;
    this.pressed = false;
    /** @type {Drag|null} */
    this.drag = null;
    this.guides = new Guides(scene);
    this.box = new BoxSelect({ viewport, editor, guides: this.guides });
    this.resize = new ResizeTool({ scene, viewport, editor });
    /** @type {ReturnType<typeof setInterval>|undefined} */
    this._keepalive = undefined;
  }

  attach() {
    const root = this.scene.root;
    root.addEventListener('pointerdown', (e) => this._down(e));
    root.addEventListener('pointermove', (e) => this._hover(e));
    // Released anywhere: over a panel that opened under the pointer too (_follow).
    root.ownerDocument.addEventListener('pointerup', (e) => {
      this.pressed = false;
      if (e.pointerType === 'touch') this.viewport.untrackTouch(e);
    });
    root.addEventListener('pointerleave', () => {
      this.pointer = null;
      this.session.cursor(null, null);
      if (this.editor.hovered && !this.drag) {
        this.editor.hovered = null;
        this.editor.requestRender();
      }
    });
    root.addEventListener('dblclick', (e) => this._doubleClick(e));
    root.addEventListener('contextmenu', (e) => e.preventDefault());
    // Tabbing onto a note selects it (a press selects on its own, before focus moves); so does
    // tabbing onto one a peer is dragging, drawn over the map while they do (render.js).
    for (const layer of [root, this.scene.live?.root]) {
      layer?.addEventListener('focusin', (e) => {
        const g = /** @type {Element} */ (e.target).closest?.('[data-id]');
        const id = g?.getAttribute('data-id');
        if (id && !this.pressed && !this.editor.selection.has(id)) this.editor.select([id]);
      });
    }
  }

  /** @param {PointerEvent} e */
  _down(e) {
    this.pressed = true;
    if (e.pointerType === 'touch' && this.viewport.trackTouch(e)) {
      this.cancelDrag();
      return;
    }
    if (e.button === 2) return;
    if (this.textEdit.active) this.textEdit.commit();
    const editor = this.editor;
    const target = /** @type {Element} */ (e.target);
    if (e.button === 1 || this.spaceHeld) {
      e.preventDefault();
      this.viewport.startPan(e);
      return;
    }
    if (!editor.canEdit) {
      // A viewer's drag pans; a click selects, to read the step's figures and comments.
      e.preventDefault();
      const id = pressedId(target);
      this.viewport.startPan(e, (moved) => moved || editor.select(id ? [id] : []));
      return;
    }
    const corner = target.closest('[data-handle="resize"]')?.getAttribute('data-for');
    if (corner) {
      this.resize.startDrag(e, corner);
      return;
    }
    const handle = target.closest('[data-handle="connect"]');
    const sourceId = handle?.getAttribute('data-for');
    if (sourceId) {
      this.connect.startDrag(e, sourceId);
      return;
    }
    const id = pressedId(target);
    if (editor.connecting?.via === 'keys') {
      this.connect.finishKeys(id);
      return;
    }
    if (id) this._startDrag(e, id);
    else if (e.pointerType === 'touch') this.viewport.startPan(e, (moved) => moved || editor.select([]));
    else this._startMarquee(e);
  }

  /** Whether a drag or a selection box is under way (the context bar steps aside). */
  get busy() {
    return Boolean(this.drag?.moved || this.box.drawing || this.resize.active);
  }

  /**
   * Escape: put a drag back, or drop a selection box and restore the selection.
   * @returns {boolean} whether there was something to cancel
   */
  cancel() {
    if (!this.drag) return this.box.cancel() || this.resize.cancel();
    this.cancelDrag();
    return true;
  }

  /**
   * Follow a pointer until it is released, then stop listening. Over the whole page, not
   * the canvas only: a press that selects a step opens its panel on the next frame, under
   * the pointer when the step was where the panel goes, and the moves and the release went
   * to the panel (the step stayed put, and the drag was never ended).
   * @param {PointerEvent} down
   * @param {(e: PointerEvent) => void} move
   * @param {(e: PointerEvent) => void} end pointerup or pointercancel
   */
  _follow(down, move, end) {
    const page = this.scene.root.ownerDocument;
    const onMove = (/** @type {PointerEvent} */ e) => e.pointerId === down.pointerId && move(e);
    const onEnd = (/** @type {PointerEvent} */ e) => {
      if (e.pointerId !== down.pointerId) return;
      page.removeEventListener('pointermove', onMove);
      page.removeEventListener('pointerup', onEnd);
      page.removeEventListener('pointercancel', onEnd);
      end(e);
    };
    page.addEventListener('pointermove', onMove);
    page.addEventListener('pointerup', onEnd);
    page.addEventListener('pointercancel', onEnd);
  }

  /** @param {PointerEvent} e a press on empty canvas */
  _startMarquee(e) {
    this.scene.root.setPointerCapture(e.pointerId);
    this.box.begin(e);
    this._follow(e, (ev) => this.box.update(ev), () => this.box.finish());
  }

  /**
   * The boxes a drag may snap to: the ones on screen, not being dragged.
   * @param {Set<string>} dragged
   */
  _snapTargets(dragged) {
    const { width, height } = this.viewport.size;
    const k = this.viewport.k;
    const view = { x: -this.viewport.x / k, y: -this.viewport.y / k, w: width / k, h: height / k };
    const others = boxesOf(this.editor.elements().values(), dragged);
    const visible = new Set(touching(others, view));
    return others.filter((b) => visible.has(b.id));
  }

  /**
   * @param {PointerEvent} e
   * @param {string} id
   */
  _startDrag(e, id) {
    const editor = this.editor;
    let toggled = false;
    if (e.shiftKey || e.metaKey || e.ctrlKey) {
      editor.toggle(id);
      toggled = true;
    } else if (!editor.selection.has(id)) {
      editor.select([id]);
    }
    const elements = editor.elements();
    /** @type {Map<string, Point>} */
    const origins = new Map();
    const rects = [];
    for (const sel of editor.selection) {
      const el = elements.get(sel);
      if (el && isBox(el)) {
        origins.set(sel, { x: el.x ?? 0, y: el.y ?? 0 });
        rects.push(rectOf(el));
      }
    }
    this.drag = { pointerId: e.pointerId, start: { x: e.clientX, y: e.clientY }, origins, moves: [], moved: false,
      toggled, id, area: boundsOf(rects), targets: [] };
    this._follow(e, (ev) => this._dragMove(ev), (ev) => {
      if (this.drag?.pointerId !== ev.pointerId) return; // cancelled with Escape
      if (ev.type === 'pointercancel') this.cancelDrag();
      else this._drop();
    });
  }

  /** @param {PointerEvent} e */
  _dragMove(e) {
    const drag = this.drag;
    if (!drag || e.pointerId !== drag.pointerId || !drag.origins.size) return;
    const dxScreen = e.clientX - drag.start.x;
    const dyScreen = e.clientY - drag.start.y;
    if (!drag.moved && Math.hypot(dxScreen, dyScreen) < DRAG_THRESHOLD) return;
    if (!drag.moved) {
      drag.moved = true;
      // Captured only now: a plain click or double-click keeps the note as its target.
      this.scene.root.setPointerCapture(e.pointerId);
      this.editor.dragging = new Set(drag.origins.keys());
      drag.targets = this._snapTargets(this.editor.dragging);
      this._keepalive = setInterval(() => this.drag?.moves.length && this._tellPeers(this.drag.moves), DRAG_KEEPALIVE_MS);
    }
    const k = this.viewport.k;
    let dx = dxScreen / k;
    let dy = dyScreen / k;
    if (drag.area && !e.altKey) {
      const lined = snap({ ...drag.area, x: drag.area.x + dx, y: drag.area.y + dy }, drag.targets, SNAP_PIXELS / k);
      dx += lined.dx;
      dy += lined.dy;
      this.guides.lines(lined.guides);
    } else this.guides.lines([]);
    const present = this.editor.model.view().elements;
    drag.moves = [...drag.origins]
      .filter(([id]) => present.has(id)) // deleted by someone mid-drag: let it go
      .map(([id, o]) => ({
        id,
        x: clamp(Math.round(o.x + dx), -MAX_COORD, MAX_COORD),
        y: clamp(Math.round(o.y + dy), -MAX_COORD, MAX_COORD),
      }));
    this.editor.live.setLocal(drag.moves);
    this._tellPeers(drag.moves);
    this.editor.requestRender();
  }

  /**
   * Live positions for peers. A drag frame holds a limited number of moves;
   * beyond that peers see the rest land on drop.
   * @param {Move[]} moves
   */
  _tellPeers(moves) {
    this.session.drag(moves.length > MAX_MOVES_PER_MESSAGE ? moves.slice(0, MAX_MOVES_PER_MESSAGE) : moves);
  }

  _drop() {
    const drag = this.drag;
    if (!drag) return;
    this._endDrag();
    if (drag.moved) this.editor.move(drag.moves);
    else if (!drag.toggled && this.editor.selection.size > 1) this.editor.select([drag.id]);
    this.editor.requestRender();
  }

  /** Put dragged notes back where they were (Escape, or the system took the pointer). */
  cancelDrag() {
    if (!this.drag) return;
    const { moved, origins } = this.drag;
    this._endDrag();
    // Tell peers where it went back to, so their screens do not wait out the timeout.
    if (moved) this._tellPeers([...origins].map(([id, o]) => ({ id, x: o.x, y: o.y })));
    this.editor.requestRender();
  }

  _endDrag() {
    clearInterval(this._keepalive);
    this.guides.lines([]);
    this.drag = null;
    this.editor.dragging = new Set();
    this.editor.live.clearLocal();
    this.session.endDrag();
  }

  /** @param {PointerEvent} e */
  _hover(e) {
    const p = this.viewport.toWorld(e.clientX, e.clientY);
    this.pointer = p;
    this.session.cursor(Math.round(p.x * 10) / 10, Math.round(p.y * 10) / 10);
    if (this.drag || this.box.state || this.editor.connecting?.via === 'drag' || e.pointerType === 'touch') return;
    if (this.editor.connecting?.via === 'keys') {
      this.connect.pointTo(p);
      return;
    }
    const elements = this.editor.elements();
    const current = this.editor.hovered ? elements.get(this.editor.hovered) : null;
    const keep = current && contains(rectOf(current), p, HOVER_SLACK / this.viewport.k);
    // Over a step's presentation card: its step, whose arrow handle then shows.
    const next = cardStep(e.target) ?? (keep && current ? current.id : hitTest(elements.values(), p)?.id ?? null);
    if (next !== this.editor.hovered) {
      this.editor.hovered = next;
      this.editor.requestRender();
    }
  }

  /** @param {MouseEvent} e */
  _doubleClick(e) {
    if (!this.editor.canEdit || this.spaceHeld) return;
    const p = this.viewport.toWorld(e.clientX, e.clientY);
    const target = /** @type {Element} */ (e.target);
    // A figure in a step's data box: edit that figure.
    const field = target.closest('[data-field]')?.getAttribute('data-field');
    const owner = pressedId(target);
    if (field && owner) {
      this.editor.select([owner]);
      this.inspect(owner, field);
      return;
    }
    const elements = this.editor.elements();
    // On a presentation card, its step (the card reaches well beyond the step's own box).
    const card = cardStep(target);
    const hit = (card ? elements.get(card) : null) ?? hitTest(elements.values(), p);
    const opens = hit ? opensField(hit) : null;
    if (hit) this.editor.select([hit.id]);
    if (hit && opens) this.inspect(hit.id, opens);
    else if (hit) this.textEdit.start(hit.id);
    else if (!owner) this.textEdit.start(this.editor.addStep(p), { isNew: true });
  }
}

/**
 * The element a press lands on: the one whose shape is under the pointer, or the step whose
 * presentation card is (the card stands for it), or null on empty canvas.
 * @param {Element} target
 * @returns {string|null}
 */
export function pressedId(target) {
  return target.closest('[data-id]')?.getAttribute('data-id') ?? cardStep(target);
}
