// @ts-check
/**
 * Durations as people type them on a sticky, and back again: the browser's
 * copy of app/domain/durations.py, so a step shows the value the server will
 * store and refuses what the server would refuse, in the same words.
 *
 *   const calendar = { hours_per_day: 8, days_per_week: 5 };   // the board frame's fields
 *   parseDuration('1d 4h', calendar);    // 720
 *   formatDuration(720, calendar);       // '1.5d'
 *   showDuration(2400, '5 days', calendar);  // '5d': as typed
 *   parseDuration('1d 1d', calendar);    // throws DurationError: "1d 1d" gives days twice — ...
 *   parseDuration('2d-5d', calendar);    // 1680: a range stands for its likely value
 *   parseRange('2d - 5d', calendar);     // {low: 960, likely: 1680, high: 2400}
 *   typedForm('2 days to 5 days', calendar);  // '2d-5d'
 *   typedForm('½d', calendar);           // '0.5d': a fraction said in decimals
 *   typedForm('1 1/2d', calendar);       // '1.5d': as a keyboard types it
 *   typedForm('⅓d', calendar);           // '1/3d': no decimal that ends, so a plain fraction
 *   typedForm('1:30', calendar);         // '1h 30m': hours and minutes as on a clock
 *
 * The one rule for SHOWING a duration, everywhere (the Python docstring says
 * it at length; the golden cases hold both sides to it):
 * 1. A figure a person typed is shown as typed (`typedForm`): their units, order
 *    and numbers, tidied ("3 days" -> "3d", "90" -> "90m", "1,50d" -> "1.5d"),
 *    while it still says the stored minutes on the board's calendar (`showDuration`).
 * 2. Everything else (computed totals, experiment figures, values set without
 *    typed text) in one style (`formatDuration`): one decimal of the largest unit
 *    that fits, halves up, never weeks — "45m", "2.5h", "4.3d", "21.8d".
 *
 * Also the two figures typed as percentages: %C/A (`parsePercent`, stored as
 * a percent) and a rework rate (`parseRate`, stored as a fraction below 1).
 *
 * Faithful means Python's rules where JavaScript's differ: what counts as a
 * digit and as white space (Unicode, as Python's `re` and `str.strip` see them),
 * lengths in code points, rounding half to even (`round`, `:.1f`), and an
 * exactly rounded sum (`math.fsum`). tests/fixtures/durations/cases.json,
 * generated from the Python, holds the two to the same answers.
 */

/** @typedef {{hours_per_day: number, days_per_week: number}} Calendar  the board frame's working calendar */
/** @typedef {'m'|'h'|'d'|'w'} Unit */

// The hint every error message ends with: the four forms people use most.
export const HINT = 'try 45m, 2h, 1.5d or 1w';
// A wait longer than this is a slip of the unit (2000w for 2000m), not a real queue.
export const MAX_YEARS = 10;
export const WEEKS_PER_YEAR = 52;
// What `formatDuration` may lose: half a minute below an hour, else at most 5 %.
export const ROUND_TRIP_MINUTES = 0.5;
// Typed text and the minutes it is stored beside may differ by float noise only.
export const SAME_MINUTES = 1e-6;
const MINUTES_PER_HOUR = 60;
// Long messages quote at most this much of what was typed.
const QUOTE_LIMIT = 40;
// "1w 2d 3h 45m" is 12 characters; anything past this is pasted text, not a duration.
export const MAX_TEXT = 60;

/** @type {Map<string, Unit>} A Map, not an object: "1constructor" must not find Object.prototype. */
const UNITS = new Map(/** @type {Array<[Unit, string[]]>} */ ([
  ['m', ['m', 'min', 'mins', 'minute', 'minutes']],
  ['h', ['h', 'hr', 'hrs', 'hour', 'hours']],
  ['d', ['d', 'day', 'days']],
  ['w', ['w', 'wk', 'wks', 'week', 'weeks']],
]).flatMap(([unit, words]) => words.map((word) => /** @type {[string, Unit]} */ ([word, unit]))));
/** @type {Record<Unit, string>} */
const UNIT_WORDS = { m: 'minutes', h: 'hours', d: 'days', w: 'weeks' };

// Python's white space (`str.isspace`, which `re`'s \s and `strip` use): JavaScript's
// \s and trim() add U+FEFF and leave out U+001C-U+001F and U+0085.
const SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const IS_SPACE = new RegExp(`^[${SPACE}]$`, 'u');
// The zero of every run of ten decimal digits that Python 3.11 (Unicode 14) reads
// as a digit in `re`'s \d and in float(): "٣h" and "３h" are 3 hours on the server.
// A fixed table rather than \p{Nd}, which grows with each browser's Unicode.
const DIGIT_ZEROS = [
  0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66,
  0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90,
  0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0,
  0xff10, 0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0,
  0x11650, 0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0,
  0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
];
const hex = (/** @type {number} */ n) => `\\u{${n.toString(16)}}`;
const DIGIT = `[${DIGIT_ZEROS.map((zero) => `${hex(zero)}-${hex(zero + 9)}`).join('')}]`;
const NUMBER = `${DIGIT}+(?:[.,]${DIGIT}+)?|\\.${DIGIT}+`;
// The vulgar fractions a sticky says ("½d", "1½d", "1 ½ days", "⅓d"): numerator, denominator.
/** @type {Map<string, [number, number]>} */
const VULGAR = new Map([
  ['\u00bc', [1, 4]], ['\u00bd', [1, 2]], ['\u00be', [3, 4]], ['\u2150', [1, 7]],
  ['\u2151', [1, 9]], ['\u2152', [1, 10]], ['\u2153', [1, 3]], ['\u2154', [2, 3]],
  ['\u2155', [1, 5]], ['\u2156', [2, 5]], ['\u2157', [3, 5]], ['\u2158', [4, 5]],
  ['\u2159', [1, 6]], ['\u215a', [5, 6]], ['\u215b', [1, 8]], ['\u215c', [3, 8]],
  ['\u215d', [5, 8]], ['\u215e', [7, 8]],
]);
const VULGARS = '\u00bc-\u00be\u2150-\u215e';
// A fraction as a keyboard types it: "1/2", or a whole number, a space and one ("1 1/2");
// the fraction slash (U+2044) is what some keyboards and word processors make of "/".
const SLASH = '/\u2044';
const TYPED_FRACTION = new RegExp(`^(?:(${DIGIT}+)[${SPACE}]+)?(${DIGIT}+)[${SLASH}](${DIGIT}+)$`, 'u');
const GLYPH_FRACTION = new RegExp(`^(?:(${DIGIT}+)[${SPACE}]*)?([${VULGARS}])$`, 'u');
// "1/64d" is a few minutes; past hundredths a fraction is a slip (or a date), not a
// duration anyone estimates, and the shown decimal would run on.
export const MAX_DENOMINATOR = 100;
// A fraction of a fraction ("1/2/3d", a date more likely than a duration).
const SLASHES = new RegExp(`${DIGIT}[${SPACE}]*[${SLASH}][${SPACE}]*${DIGIT}+[${SPACE}]*[${SLASH}]`, 'u');
// A decimal over or under a fraction's line ("1.5/2d", "1/2.5d").
const DECIMAL_FRACTION = new RegExp(
  `${DIGIT}[.,]${DIGIT}*[${SPACE}]*[${SLASH}]|[${SLASH}][${SPACE}]*${DIGIT}+[.,]${DIGIT}`, 'u',
);
const FRACTION_HINT = 'write a fraction as 1/2d or 1 1/2d';
const DURATION_NUMBER = `(?:${DIGIT}+[${SPACE}]*)?[${VULGARS}]|(?:${DIGIT}+[${SPACE}]+)?${DIGIT}+[${SLASH}]${DIGIT}+|${NUMBER}`;
// One part: a number (comma or point decimal, a fraction, or a whole number and a fraction)
// and an optional unit, then an optional separator so "1d, 4h" and "1d + 4h" read like "1d 4h".
// Sticky: it must match exactly where the previous part ended, like Python's pattern.match(s, pos).
const PART = new RegExp(`(${DURATION_NUMBER})[${SPACE}]*([a-z]*)[${SPACE}]*(?:[,+][${SPACE}]*)?`, 'uy');
// Hours and minutes as on a clock ("1:30"): two-digit minutes, nothing glued after them
// ("1:30:00" and "1:30h" are refused rather than guessed). Sticky, as PART.
const CLOCK = new RegExp(
  `(${DIGIT}+):(${DIGIT}${DIGIT})(?!${DIGIT}|[:.a-z]|,${DIGIT})[${SPACE}]*(?:[,+][${SPACE}]*)?`, 'uy',
);
// A whole figure that is one part, and the first part of a figure (rangePieces).
const ONE_PART = new RegExp(`^(?:${PART.source})$`, 'u');
const FIRST_PART = new RegExp(`^(?:${PART.source})`, 'u');
// "1,000m" could be a thousand minutes or one: refuse to guess.
const THOUSANDS = new RegExp(`${DIGIT},${DIGIT}{3}(?!${DIGIT})`, 'u');
// Commas are read as decimals ("1,5h"), so where they are, "1.000m" is a thousand minutes:
// a point after one to three digits (not a leading 0) and before exactly three is refused
// in what is typed now (parseTyped), never in what was stored before.
const POINT_THOUSANDS = new RegExp(`(?<!${DIGIT}|[.,])[1-9]${DIGIT}{0,2}\\.${DIGIT}{3}(?!${DIGIT})`, 'u');
// Between the figures of a range ("2d-5d", "2d-3d-5d"): a hyphen, an en dash, or the
// word "to" standing alone ("2d to 5d"; "1 toString" stays one, refused, figure).
const RANGE_SEPARATOR = new RegExp(
  `[${SPACE}]*(?:-|\u2013|(?<![a-zA-Z])[tT][oO](?![a-zA-Z]))[${SPACE}]*`, 'u',
);

/** Text that is not a duration; the message says what to type instead (Python's wording). */
export class DurationError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'DurationError';
  }
}

/** @typedef {{low: number, likely: number, high: number}} Range  a range's minutes, low <= likely <= high */

/**
 * Minutes in `text`, reading `d` and `w` as working days and weeks of `calendar`.
 * A bare number is minutes; each unit may appear once, in any order. A range
 * ("2d-5d", "2d-3d-5d") gives its likely value: what a step stores beside it.
 * @param {string} text
 * @param {Calendar} calendar
 * @returns {number}
 * @throws {DurationError} with the message the server would give
 */
export function parseDuration(text, calendar) {
  const found = read(text, calendar);
  return typeof found === 'number' ? found : found.likely;
}

/**
 * `parseDuration` for what a person types now: decimal commas are read ("1,5h"), so
 * where they are used a point groups thousands, and "1.000m" (a thousand minutes there,
 * one minute here) is refused as ambiguous. Only new input: a text typed before this
 * rule, and stored, still reads as it always did (the server reads it so too).
 * @param {string} text
 * @param {Calendar} calendar
 * @returns {number}
 * @throws {DurationError}
 */
export function parseTyped(text, calendar) {
  const typed = text.trim();
  if (POINT_THOUSANDS.test(typed.toLowerCase())) {
    throw new DurationError(`${quote(typed)} is ambiguous — write 1000m without a point, or 1.5d`);
  }
  return parseDuration(text, calendar);
}

/**
 * The low, likely and high minutes of a range ("2d-5d": likely the midpoint;
 * "2d-3d-5d": low-likely-high), or null when `text` is one duration.
 * @param {string} text
 * @param {Calendar} calendar
 * @returns {Range|null}
 * @throws {DurationError} for text that is neither, or a range that runs backwards
 */
export function parseRange(text, calendar) {
  const found = read(text, calendar);
  return typeof found === 'number' ? null : found;
}

/**
 * One duration's minutes, or a range's three figures.
 * @param {string} text
 * @param {Calendar} calendar
 * @returns {number|Range}
 */
function read(text, calendar) {
  const typed = strip(text);
  const shown = quote(typed);
  refuseWhole(typed, shown);
  const pieces = rangePieces(typed);
  if (pieces.length === 1) return minutesIn(typed, shown, calendar);
  if (pieces.includes('')) throw new DurationError(`${shown} is not a duration — ${HINT}`);
  if (pieces.length > 3) {
    throw new DurationError(
      `${shown} has ${pieces.length} figures — a range is low-high (2d-5d) or low-likely-high (2d-3d-5d)`,
    );
  }
  const figures = pieces.map((piece) => minutesIn(piece, quote(piece), calendar));
  const low = figures[0];
  const high = figures[figures.length - 1];
  const likely = figures.length === 3 ? figures[1] : (low + high) / 2;
  if (!(low <= likely && likely <= high)) {
    const order = figures.length === 2 ? 'the smaller figure first' : 'low, likely and high in that order';
    throw new DurationError(`the range ${pieces.map(tidied).join('-')} runs backwards: write ${order}`);
  }
  return { low, likely, high };
}

/**
 * A figure's number as PART reads it, in any digits, its decimal a point or a comma, or a
 * fraction; NaN for a fraction that is no number ("1/0"), which its own figure then refuses.
 * @param {string} text
 */
function figure(text) {
  try {
    return numberValue(asciiNumber(text));
  } catch (e) {
    if (e instanceof DurationError) return NaN;
    throw e;
  }
}

/**
 * The figures of `typed` split at its range separators (one piece: no range). A bare
 * number before a figure with a unit is in that figure's (first) unit, as it is said
 * aloud: "2-3d" and "2 to 3 days" are 2d-3d, not 2 minutes to 3 days. A range bare
 * throughout ("90-120") stays in minutes; a bare high figure ("2d-3") is not guessed; nor
 * is a bare number larger than the next figure's, which that unit would turn backwards:
 * "30-1h" is half an hour to an hour, as it always read.
 * @param {string} typed
 * @returns {string[]}
 */
function rangePieces(typed) {
  const pieces = typed.split(RANGE_SEPARATOR);
  for (let i = pieces.length - 2; i >= 0; i -= 1) {
    const bare = ONE_PART.exec(strip(pieces[i]).toLowerCase());
    const after = FIRST_PART.exec(strip(pieces[i + 1]).toLowerCase());
    if (bare && after && !bare[2] && UNITS.has(after[2]) && figure(bare[1]) <= figure(after[1])) {
      pieces[i] = strip(pieces[i]) + after[2];
    }
  }
  return pieces;
}

/**
 * The refusals that look at the whole text, range or not.
 * @param {string} typed @param {string} shown
 */
function refuseWhole(typed, shown) {
  const cleaned = typed.toLowerCase();
  if (!cleaned) throw new DurationError(`an empty box is not a duration — ${HINT}`);
  if ([...cleaned].length > MAX_TEXT) {
    throw new DurationError(`${shown} is too long for a duration — ${HINT}`);
  }
  if (cleaned.startsWith('-')) {
    throw new DurationError(`${shown} is negative — a duration cannot be less than 0m`);
  }
  if (THOUSANDS.test(cleaned)) {
    throw new DurationError(`${shown} is ambiguous — write 1000m without a comma, or 1.5d`);
  }
  if (SLASHES.test(cleaned)) {
    throw new DurationError(`${shown} has a fraction of a fraction — write one fraction, as 1/2d or 1 1/2d`);
  }
  if (DECIMAL_FRACTION.test(cleaned)) {
    throw new DurationError(`${shown} has a decimal in a fraction — write whole numbers (3/4d) or a decimal (0.75d)`);
  }
}

/**
 * Minutes in one duration (no range), stripped; `shown` quotes it in messages.
 * @param {string} typed @param {string} shown @param {Calendar} calendar
 * @returns {number}
 */
function minutesIn(typed, shown, calendar) {
  const cleaned = typed.toLowerCase();
  const perDay = calendar.hours_per_day * 60;
  const perWeek = perDay * calendar.days_per_week;
  /** @type {Record<Unit, number>} */
  const scale = { m: 1, h: 60, d: perDay, w: perWeek };
  const minutes = fsum(split(cleaned, shown).map(([value, unit]) => value * scale[unit]));
  const limit = MAX_YEARS * WEEKS_PER_YEAR * perWeek;
  if (!(minutes <= limit)) { // also catches an overflow to infinity
    throw new DurationError(`${shown} is more than ${MAX_YEARS} years of working time — check the unit`);
  }
  return minutes;
}

/**
 * The (number, unit) parts of `cleaned`; a lone bare number is minutes.
 * @param {string} cleaned
 * @param {string} shown
 * @returns {Array<[number, Unit]>}
 */
function split(cleaned, shown) {
  return parts(cleaned, shown).map(([number, unit]) => [numberValue(number), unit]);
}

/**
 * The (number as ASCII text, unit) parts of `cleaned`, checked.
 * @param {string} cleaned
 * @param {string} shown
 * @returns {Array<[string, Unit]>}
 */
function parts(cleaned, shown) {
  /** @type {Array<[string, Unit|'']>} */
  const found = [];
  for (let position = 0; position < cleaned.length;) {
    CLOCK.lastIndex = position;
    const clock = CLOCK.exec(cleaned);
    if (clock !== null) {
      found.push(...clockParts(clock[1], clock[2], shown));
      position = CLOCK.lastIndex;
      continue;
    }
    PART.lastIndex = position;
    const match = PART.exec(cleaned);
    if (match === null || (match[2] && !UNITS.has(match[2]))) {
      throw new DurationError(`${shown} is not a duration — ${HINT}`);
    }
    found.push([asciiNumber(match[1], shown), UNITS.get(match[2]) ?? '']);
    position = PART.lastIndex;
  }
  if (minutesAfterHours(found)) found[found.length - 1][1] = 'm';
  const units = found.map(([, unit]) => unit);
  if (units.includes('') && found.length > 1) {
    throw new DurationError(`${shown} has a number without a unit — write e.g. 1h 30m`);
  }
  const seen = new Set();
  for (const unit of units) {
    if (unit && seen.has(unit)) {
      throw new DurationError(
        `${shown} gives ${UNIT_WORDS[unit]} twice — add them up (2${unit} rather than 1${unit} 1${unit})`,
      );
    }
    seen.add(unit);
  }
  return found.map(([number, unit]) => [number, unit || 'm']);
}

/**
 * "1:30" as the parts of "1h 30m"; "0:45" as "45m" alone (no one says "0h").
 * @param {string} hours @param {string} minutes @param {string} shown
 * @returns {Array<[string, Unit]>}
 */
function clockParts(hours, minutes, shown) {
  const over = Number(asciiNumber(minutes));
  const whole = Number(asciiNumber(hours));
  if (over >= MINUTES_PER_HOUR) {
    const left = over - MINUTES_PER_HOUR;
    throw new DurationError(
      `${shown} has ${over} minutes after the colon — write ${whole + 1}:${String(left).padStart(2, '0')}`
      + ` or ${whole + 1}h ${left}m`,
    );
  }
  /** @type {Array<[string, Unit]>} */
  const hourPart = whole === 0 ? [] : [[asciiNumber(hours), 'h']];
  return [...hourPart, [asciiNumber(minutes), 'm']];
}

/**
 * Whether the last part is a bare whole number under 60 straight after the hours:
 * "1h30" and "1h 30" are an hour and a half, as they are written in much of Europe.
 * Anywhere else a bare number among units is refused ("1d 4", "30 1h", "30m 1h 5").
 * @param {Array<[string, Unit|'']>} found
 */
function minutesAfterHours(found) {
  if (found.length < 2) return false;
  const [number, unit] = found[found.length - 1];
  return unit === '' && found[found.length - 2][1] === 'h' && !found.some(([, u]) => u === 'm')
    && /^[0-9]+$/.test(number) && Number(number) < MINUTES_PER_HOUR;
}

/**
 * `minutes` in the one style every figure not typed by a person is shown in:
 * one decimal of the largest unit that fits, never weeks ("45m", "2.5h", "21.8d").
 * @param {number} minutes
 * @param {Calendar} calendar
 * @returns {string}
 * @throws {RangeError} for a negative or non-finite number
 */
export function formatDuration(minutes, calendar) {
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new RangeError(`cannot show ${minutes} as a duration`);
  }
  if (roundHalfEven(minutes) < MINUTES_PER_HOUR) return `${roundHalfEven(minutes)}m`;
  const hours = tenthsHalfUp(minutes / MINUTES_PER_HOUR);
  if (Number(hours) < calendar.hours_per_day) return `${hours}h`;
  return `${tenthsHalfUp(minutes / (calendar.hours_per_day * 60))}d`;
}

/**
 * What a person typed, tidied but in their own units and order: " 1 day, 4 HOURS" -> "1d 4h";
 * a range keeps its figures, joined by a plain hyphen ("2 days to 5 days" -> "2d-5d").
 * @param {string} text
 * @param {Calendar} calendar
 * @returns {string}
 * @throws {DurationError} for text that is not a duration
 */
export function typedForm(text, calendar) {
  parseDuration(text, calendar); // the same refusals, in the same words
  return rangePieces(strip(text)).map(tidied).join('-');
}

/** One duration (already read without error) in its tidied typed form. @param {string} piece */
function tidied(piece) {
  const cleaned = strip(piece).toLowerCase();
  return parts(cleaned, quote(cleaned)).map(([number, unit]) => tidy(number) + unit).join(' ');
}

/**
 * A stored figure as shown: as typed while `typed` still says `minutes`, else the rule.
 * @param {number} minutes
 * @param {string|null|undefined} typed
 * @param {Calendar} calendar
 * @returns {string}
 */
export function showDuration(minutes, typed, calendar) {
  if (typed && saysMinutes(typed, minutes, calendar)) return typedForm(typed, calendar);
  return formatDuration(minutes, calendar);
}

/**
 * Whether `typed` parses to `minutes` on `calendar` (so it may stand for them);
 * a range stands for its likely value.
 * @param {string} typed @param {number} minutes @param {Calendar} calendar
 */
export function saysMinutes(typed, minutes, calendar) {
  try {
    return Math.abs(parseDuration(typed, calendar) - minutes) <= SAME_MINUTES;
  } catch (e) {
    if (e instanceof DurationError) return false;
    throw e;
  }
}

/**
 * One decimal, halves up as people round (1.25 -> "1.3"), without a trailing ".0":
 * toFixed rounds the exact binary value and breaks ties upwards for x >= 0, as the
 * server's Decimal quantize with ROUND_HALF_UP does.
 * @param {number} x a duration's number of hours or days, >= 0
 */
function tenthsHalfUp(x) {
  const text = x.toFixed(1);
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/** "007" -> "7", "1.50" -> "1.5", ".5" -> "0.5", "2.0" -> "2"; a fraction as it is. @param {string} number */
function tidy(number) {
  if (number.includes('/')) return number;
  const [whole, fraction = ''] = number.split('.');
  const kept = fraction.replace(/0+$/, '');
  return (whole.replace(/^0+/, '') || '0') + (kept ? `.${kept}` : '');
}

// ---- percentages: %C/A (a percent) and a rework rate (a fraction) ----------

const FIGURE = new RegExp(`^(-?)[${SPACE}]*(${NUMBER})[${SPACE}]*(%?)$`, 'u');

/** A percentage or rate that cannot be stored; the message says why. */
export class PercentError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'PercentError';
  }
}

/**
 * %C/A as typed ("85", "85%", "85,5 %") -> the percent the server stores (85).
 * A number is always read as a percent, so "0.85" is 0.85 %, not 85 %: "1"
 * cannot be both 1 % and 100 %, and the value shown back makes a slip plain.
 * What an empty box means (clear the figure?) is the caller's choice, so it is
 * refused here as parseDuration refuses it.
 * @param {string} text
 * @returns {number}
 * @throws {PercentError}
 */
export function parsePercent(text) {
  const figure = readFigure(text, 'a percentage', '85 or 85%');
  if (figure.negative || figure.value > 100) {
    throw new PercentError(`${figure.shown} must be between 0 and 100`);
  }
  return figure.value;
}

/** The server's largest rework rate (app/domain/fields.py MAX_REWORK_RATE). */
export const MAX_REWORK_RATE = 0.99;

/**
 * A rework rate as typed -> the fraction the server stores: "20%" and "20" are
 * 0.2; "0.2" (a decimal below 1, no % sign) is already a fraction.
 * @param {string} text
 * @returns {number} from 0 up to MAX_REWORK_RATE
 * @throws {PercentError}
 */
export function parseRate(text) {
  const figure = readFigure(text, 'a rate', '20% or 0.2');
  if (figure.negative) throw new PercentError(`${figure.shown} cannot be negative`);
  const fraction = !figure.percentSign && figure.point && figure.value < 1
    ? figure.value
    : Number(`${figure.digits}e-2`); // moves the point in the text: "7" is exactly 0.07, not 7 / 100
  if (fraction >= 1) {
    throw new PercentError(
      `${figure.shown} must be less than 100% — at 100% every item would go round the loop for ever`,
    );
  }
  if (fraction > MAX_REWORK_RATE) {
    throw new PercentError(
      `${figure.shown} is more than 99% — the map counts at most 99 in 100 items going round again`,
    );
  }
  return fraction;
}

/**
 * A percent with at most one decimal, rounded as the server rounds its rolled
 * %C/A ("85%", "40.7%").
 * @param {number} value a percent
 * @returns {string}
 */
export function formatPercent(value) {
  return `${tenths(value)}%`;
}

/** @param {number} rate a fraction, as rework_rate is stored @returns {string} "20%" */
export function formatRate(rate) {
  return formatPercent(rate * 100);
}

/**
 * @param {string} text
 * @param {string} what
 * @param {string} example
 * @returns {{shown: string, digits: string, value: number, negative: boolean, percentSign: boolean, point: boolean}}
 */
function readFigure(text, what, example) {
  const typed = strip(text);
  const shown = quote(typed);
  if (!typed) throw new PercentError(`an empty box is not ${what} — try ${example}`);
  const match = FIGURE.exec(typed);
  if (match === null) throw new PercentError(`${shown} is not ${what} — try ${example}`);
  if (THOUSANDS.test(match[2])) {
    throw new PercentError(`${shown} is ambiguous — write decimals with a point, e.g. 12.5`);
  }
  const digits = asciiNumber(match[2]);
  return {
    shown, digits, value: Number(digits), negative: match[1] === '-', percentSign: match[3] === '%',
    point: digits.includes('.'),
  };
}

// ---- Python's rules, where JavaScript's differ -------------------------------

/** Python's `str.strip()`: its white space, not trim()'s. @param {string} text */
function strip(text) {
  let start = 0;
  let end = text.length;
  while (start < end && IS_SPACE.test(text[start])) start += 1;
  while (end > start && IS_SPACE.test(text[end - 1])) end -= 1;
  return text.slice(start, end);
}

/** What was typed, quoted, cut to QUOTE_LIMIT code points. @param {string} typed */
function quote(typed) {
  const points = [...typed];
  const cut = points.length > QUOTE_LIMIT ? `${points.slice(0, QUOTE_LIMIT - 1).join('')}…` : typed;
  return `"${cut}"`;
}

/**
 * A matched number in ASCII, as numberValue reads it and a typed form shows it: any Python
 * digit as ASCII ("١,٥" -> "1.5"), a fraction as its decimals when they end ("1 ½" and
 * "1 1/2" -> "1.5", "⅛" -> "0.125"), else as a plain fraction ("⅓" -> "1/3", "1⅔" -> "1 2/3").
 * `shown` quotes the whole text in the refusal of a fraction that is not a number.
 * @param {string} number @param {string} [shown]
 */
function asciiNumber(number, shown = '') {
  const glyph = GLYPH_FRACTION.exec(number);
  const typed = TYPED_FRACTION.exec(number);
  if (glyph !== null) {
    const [over, under] = /** @type {[number, number]} */ (VULGAR.get(glyph[2]));
    return fractionText(glyph[1] ? plainDigits(glyph[1]) : null, String(over), String(under), shown);
  }
  if (typed !== null) {
    return fractionText(
      typed[1] ? plainDigits(typed[1]) : null, plainDigits(typed[2]), plainDigits(typed[3]), shown,
    );
  }
  return plainDigits(number);
}

/**
 * whole + over/under (ASCII digits) as exact decimals when they end, else "whole over/under".
 * @param {string|null} whole @param {string} over @param {string} under @param {string} shown
 */
function fractionText(whole, over, under, shown) {
  const [w, o, u] = [BigInt(whole ?? '0'), BigInt(over), BigInt(under)];
  if (u === 0n) throw new DurationError(`${shown} divides by zero — ${FRACTION_HINT}`);
  if (u > BigInt(MAX_DENOMINATOR)) {
    throw new DurationError(`${shown} is split finer than hundredths — write it in a smaller unit, e.g. 1m`);
  }
  if (whole !== null && o >= u) {
    throw new DurationError(`${shown} has a whole number and a fraction of 1 or more — write e.g. 1 1/2d`);
  }
  let [twos, fives, rest] = [0, 0, u];
  while (rest % 2n === 0n) [rest, twos] = [rest / 2n, twos + 1];
  while (rest % 5n === 0n) [rest, fives] = [rest / 5n, fives + 1];
  if (rest !== 1n) { // a third, a sixth...: no decimal ends
    const [ow, ou] = [String(o), String(u)];
    return w ? `${w} ${ow}/${ou}` : `${ow}/${ou}`;
  }
  const places = Math.max(twos, fives);
  const digits = String(((w * u + o) * 10n ** BigInt(places)) / u).padStart(places + 1, '0');
  return places ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits;
}

/**
 * The number asciiNumber wrote: a decimal, or "whole over/under" divided once, exactly
 * rounded (as Python's int division rounds it).
 * @param {string} number
 */
function numberValue(number) {
  if (!number.includes('/')) return Number(number);
  const space = number.lastIndexOf(' ');
  const [over, under] = number.slice(space + 1).split('/').map(Number);
  const whole = space < 0 ? 0 : Number(number.slice(0, space));
  return (whole * under + over) / under;
}

/** Any Python digit as ASCII, a comma as a point ("١,٥" -> "1.5"). @param {string} number */
function plainDigits(number) {
  let out = '';
  for (const char of number) {
    const point = /** @type {number} */ (char.codePointAt(0));
    const zero = DIGIT_ZEROS.findLast((z) => z <= point) ?? 0;
    out += char === ',' || char === '.' ? '.' : String(point - zero);
  }
  return out;
}

/** Python's `round(x)`: to the nearest integer, halves to the even one. @param {number} x */
function roundHalfEven(x) {
  const up = Math.round(x); // halves go up here
  return up - x === 0.5 && up % 2 !== 0 ? up - 1 : up;
}

/**
 * Python's f"{x:.1f}": toFixed(1) is exact too but breaks ties away from zero;
 * a tie at one decimal is an odd number of quarters (x.25, x.75), where Python
 * picks the even tenth.
 * @param {number} x
 * @returns {string}
 */
function fixedTenths(x) {
  if (x < 0 || Object.is(x, -0)) return `-${fixedTenths(-x)}`;
  if (Number.isInteger(x * 4) && !Number.isInteger(x * 2)) {
    const n = roundHalfEven(x * 10); // x * 10 is exact for a quarter
    return `${Math.floor(n / 10)}.${n % 10}`;
  }
  return x.toFixed(1);
}

/** One decimal, without a trailing ".0" ("1.5", "3"). @param {number} x */
function tenths(x) {
  const text = fixedTenths(x);
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/**
 * Python's `math.fsum`: the sum of `values` rounded once, as if added exactly
 * (Shewchuk's non-overlapping partials, then CPython's half-way correction), so
 * "0.1h 0.2m" is the same double on both sides.
 * @param {number[]} values
 * @returns {number}
 */
function fsum(values) {
  if (!values.every(Number.isFinite)) return values.reduce((a, b) => a + b, 0);
  /** @type {number[]} */
  const partials = [];
  for (let x of values) {
    let kept = 0;
    for (let y of partials) {
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[kept++] = lo;
      x = hi;
    }
    partials.length = kept;
    if (x !== 0) partials.push(x);
  }
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n];
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n];
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) break;
  }
  // Exactly half-way between two doubles, and the partials below push the same way: round away.
  if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
    const twice = lo * 2;
    const x = hi + twice;
    if (twice === x - hi) hi = x;
  }
  return hi;
}
