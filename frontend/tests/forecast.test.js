// @ts-check
// The Flow panel's forecast: what it says and where the histogram puts things.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHART, HINT, MEASURE_NEXT_LIMIT, chartModel, forecastModel, measureNext, placeLabels } from '../js/ui/forecast.js';

const calendar = { hours_per_day: 8, days_per_week: 5 };
const DAY = 480;

/** A forecast as the server sends it (docs/protocol.md), with overrides. @param {object} [over] */
function forecast(over = {}) {
  return {
    trials: 10000, seed: 123456789,
    p50_minutes: 20 * DAY, p85_minutes: 26 * DAY, p95_minutes: 30 * DAY, mean_minutes: 21 * DAY,
    deterministic_minutes: 19 * DAY,
    histogram: { edges_minutes: Array.from({ length: 21 }, (_, i) => (15 + i) * DAY), counts: [0, 5, 40, 200, 900, 1500, 1800, 1600, 1200, 900, 600, 400, 300, 200, 150, 100, 60, 30, 10, 5] },
    ranged: [],
    measure_next: [
      { id: 's3', text: 'Review', p85_cut_minutes: 3 * DAY, share: 0.42 },
      { id: 's1', text: 'Build', p85_cut_minutes: 1.5 * DAY, share: 0.2 },
      { id: 's2', text: '', p85_cut_minutes: 4 * 60, share: 0.1 },
      { id: 's4', text: 'Deploy', p85_cut_minutes: 60, share: 0.05 },
    ],
    display: { p50: '20d', p85: '26d', p95: '30d' },
    ...over,
  };
}

test('the three percentiles read as one line and three figures', () => {
  const model = forecastModel(forecast(), { calendar });
  assert.equal(model.state, 'spread');
  if (model.state !== 'spread') return;
  assert.equal(model.line, 'Forecast lead time: 50% by 20d · 85% by 26d · 95% by 30d');
  assert.deepEqual(model.figures.map((f) => [f.label, f.value]), [['50% by', '20d'], ['85% by', '26d'], ['95% by', '30d']]);
  assert.match(model.explanation, /^10,000 simulated items through this map; ranges, estimates’ spread and rework loops make the spread/);
});

test('figures the server did not format are formatted on the board’s calendar', () => {
  const model = forecastModel(forecast({ display: undefined }), { calendar: { hours_per_day: 6, days_per_week: 5 } });
  assert.equal(model.state, 'spread');
  if (model.state !== 'spread') return;
  // 9600 minutes on 6-hour days is 26.7 days.
  assert.equal(model.figures[0].value, '26.7d');
});

test('no forecast: a hint on how to get one', () => {
  for (const none of [null, undefined]) {
    const model = forecastModel(none);
    assert.deepEqual(model, { state: 'none', hint: HINT });
  }
  assert.match(HINT, /2d-5d/);
});

test('every trial the same: no spread yet, and the same hint', () => {
  const flat = forecast({ p50_minutes: 19 * DAY, p85_minutes: 19 * DAY, p95_minutes: 19 * DAY, display: { p50: '19d', p85: '19d', p95: '19d' } });
  const model = forecastModel(flat, { calendar, alreadyShown: ['19d'] });
  assert.equal(model.state, 'flat');
  if (model.state !== 'flat') return;
  assert.equal(model.text, 'No spread yet: type a range such as 2d-5d.');
  assert.equal(model.detail, 'Every simulated item takes 19d.');
  assert.equal(model.hint, HINT);
  assert.equal(model.deterministic, null);
  // Figures a few minutes apart that read the same are no spread either.
  const almost = forecast({ p50_minutes: 19 * DAY, p85_minutes: 19 * DAY + 1, p95_minutes: 19 * DAY + 2, display: { p50: '19d', p85: '19d', p95: '19d' } });
  assert.equal(forecastModel(almost, { calendar }).state, 'flat');
});

test('the fixed-figure lead time is shown only when it says something new', () => {
  const differs = forecastModel(forecast(), { calendar, alreadyShown: ['18d'] });
  assert.equal(differs.state === 'spread' && differs.deterministic, 'With every figure at its likely value: 19d');
  const sameAsPanel = forecastModel(forecast(), { calendar, alreadyShown: ['19d'] });
  assert.equal(sameAsPanel.state === 'spread' && sameAsPanel.deterministic, null);
  const sameAsP50 = forecastModel(forecast({ deterministic_minutes: 20 * DAY }), { calendar, alreadyShown: ['18d'] });
  assert.equal(sameAsP50.state === 'spread' && sameAsP50.deterministic, null);
  const absent = forecastModel(forecast({ deterministic_minutes: undefined }), { calendar });
  assert.equal(absent.state === 'spread' && absent.deterministic, null);
});

test('measure next: the top three, named as the map names them now, with their cut', () => {
  const next = measureNext(forecast(), new Map([['s1', 'Build & test']]), calendar);
  assert.equal(next.length, MEASURE_NEXT_LIMIT);
  assert.deepEqual(next.map((m) => m.text), [
    'Review — up to 3d off the 85%',
    'Build & test — up to 1.5d off the 85%',
    'Untitled step — up to 4h off the 85%',
  ]);
  assert.deepEqual(next.map((m) => m.id), ['s3', 's1', 's2']);
  assert.equal(next[0].name + next[0].after, next[0].text);
});

test('measure next leaves out steps that cut nothing, and copes with no list', () => {
  const f = forecast({ measure_next: [{ id: 'a', text: 'A', p85_cut_minutes: 0 }, { id: 'b', text: 'B', p85_cut_minutes: 120 }] });
  assert.deepEqual(measureNext(f, new Map(), calendar).map((m) => m.text), ['B — up to 2h off the 85%']);
  assert.deepEqual(measureNext(forecast({ measure_next: undefined }), new Map(), calendar), []);
});

test('bars scale to the tallest bin; empty bins draw nothing', () => {
  const c = chartModel(forecast(), calendar);
  assert.equal(c.bars.length, 20);
  const tallest = Math.max(...c.bars.map((b) => b.height));
  const tall = c.bars.find((b) => b.count === 1800);
  assert.equal(tall?.height, tallest);
  assert.equal(c.bars[0].height, 0);
  // A bin with 5 of 10,000 is still visible.
  assert.ok(c.bars[1].height >= 1);
  for (const b of c.bars) {
    assert.ok(b.x >= 0 && b.x + b.width <= CHART.width + 1e-9, `bar at ${b.x} inside the box`);
    assert.ok(b.y >= 0 && b.y + b.height <= CHART.height);
    assert.ok(Math.abs(b.y + b.height - c.baseline) < 1e-9, 'bars stand on the baseline');
  }
  // Heights in proportion to counts.
  const half = c.bars.find((b) => b.count === 900);
  assert.ok(half && tall && Math.abs(half.height / tall.height - 0.5) < 1e-9);
});

test('a single bin fills the width; all-zero counts draw no bars and no NaN', () => {
  const one = chartModel(forecast({ histogram: { edges_minutes: [10 * DAY, 30 * DAY], counts: [10000] } }), calendar);
  assert.equal(one.bars.length, 1);
  assert.ok(one.bars[0].width > CHART.width - 2);
  assert.ok(one.bars[0].height > 0);
  const zero = chartModel(forecast({ histogram: { edges_minutes: [10 * DAY, 20 * DAY, 30 * DAY], counts: [0, 0] } }), calendar);
  assert.deepEqual(zero.bars.map((b) => b.height), [0, 0]);
  const none = chartModel(forecast({ histogram: undefined }), calendar);
  assert.deepEqual(none.bars, []);
  for (const m of none.markers) assert.ok(Number.isFinite(m.x));
});

test('markers sit where their minutes fall, clamped inside the box', () => {
  const c = chartModel(forecast(), calendar);
  // Edges run 15d..35d over 240 units: 20d is a quarter of the way.
  assert.ok(Math.abs(c.markers[0].x - 60) < 1e-9);
  const outside = chartModel(forecast({ p50_minutes: 10 * DAY, p95_minutes: 50 * DAY }), calendar);
  for (const m of outside.markers) assert.ok(m.x >= 0.5 && m.x <= CHART.width - 0.5, `marker ${m.percent} at ${m.x}`);
  assert.equal(outside.markers[0].x, 0.5);
  assert.equal(outside.markers[2].x, CHART.width - 0.5);
});

/** @param {{x: number, width: number}[]} labels */
function assertApartAndInside(labels) {
  for (const l of labels) {
    assert.ok(l.x - l.width / 2 >= -1e-9 && l.x + l.width / 2 <= CHART.width + 1e-9, `label at ${l.x} inside the box`);
  }
  for (let i = 1; i < labels.length; i += 1) {
    assert.ok(labels[i].x - labels[i].width / 2 >= labels[i - 1].x + labels[i - 1].width / 2 - 1e-9, 'labels do not overlap');
  }
}

test('labels never overlap or leave the box, wherever the markers are', () => {
  const cases = [
    [60, 160, 200], [0.5, 1, 2], [238, 239, 239.5], [0.5, 120, 239.5], [100, 101.5, 103], [0.5, 0.5, 239.5],
  ];
  for (const xs of cases) {
    const labels = placeLabels(xs.map((x, i) => ({ percent: [50, 85, 95][i], x })), CHART.width);
    assertApartAndInside(labels);
  }
  // Well apart, each label sits over its own marker.
  const apart = placeLabels([{ percent: 50, x: 60 }, { percent: 85, x: 160 }, { percent: 95, x: 200 }], CHART.width);
  assert.deepEqual(apart.map((l) => [l.text, l.x]), [['50%', 60], ['85%', 160], ['95%', 200]]);
});

test('markers at one place share one label', () => {
  const c = chartModel(forecast({ p85_minutes: 20 * DAY, display: { p50: '20d', p85: '20d', p95: '30d' } }), calendar);
  assert.deepEqual(c.labels.map((l) => l.text), ['50·85%', '95%']);
  assertApartAndInside(c.labels);
  const top = placeLabels([{ percent: 50, x: 100 }, { percent: 85, x: 239.5 }, { percent: 95, x: 239.5 }], CHART.width);
  assert.deepEqual(top.map((l) => l.text), ['50%', '85·95%']);
  assertApartAndInside(top);
});

test('the range’s two ends label the axis', () => {
  const c = chartModel(forecast(), calendar);
  assert.deepEqual(c.ends.map((e) => [e.text, e.anchor]), [['15d', 'start'], ['35d', 'end']]);
});

test('labels stay apart and inside for any three markers (random sweep)', () => {
  let seed = 7;
  const random = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
  for (let n = 0; n < 2000; n += 1) {
    const xs = [random(), random(), random()].map((r) => 0.5 + r * (CHART.width - 1)).sort((a, b) => a - b);
    assertApartAndInside(placeLabels(xs.map((x, i) => ({ percent: [50, 85, 95][i], x })), CHART.width));
  }
});
