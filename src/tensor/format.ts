/**
 * NumPy's printing of float64 arrays and Python floats, with NumPy's default print options (precision 8,
 * floatmode 'maxprec', suppress False, linewidth 75, threshold 1000, edgeitems 3), following
 * numpy/_core/arrayprint.py (FloatingFormat, _formatArray). The notebooks' expected outputs are NumPy prints,
 * so `formatArray(ours) === printed` is the exact comparison; `parseArray` reads a print back to numbers.
 */
import { NDArray, shapeToString } from './ndarray.ts';

const PRECISION = 8;
const LINEWIDTH = 75;
const THRESHOLD = 1000;
const EDGEITEMS = 3;

/** Python's repr(float): shortest round-trip digits, exponent when exp < -4 or >= 16. */
export function formatPythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const m = mant.includes('.') ? mant : mant; // Python: 1e-05, 1.5e+16
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const s = positionalDigits(x);
  return s.includes('.') ? s : `${s}.0`;
}

/** Shortest round-trip digits of |x| and sign, positional (no exponent). */
function positionalDigits(x: number): string {
  const neg = x < 0 || Object.is(x, -0);
  const [mant, expText] = Math.abs(x).toExponential().split('e');
  const exp = Number(expText);
  const digits = mant.replace('.', '');
  let s: string;
  if (exp >= 0) {
    s =
      digits.length <= exp + 1
        ? digits + '0'.repeat(exp + 1 - digits.length)
        : `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    s = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return (neg ? '-' : '') + s;
}

/**
 * toFixed/toExponential round exact ties up; Dragon4 (NumPy) rounds them to even. Ties are exact binary values
 * whose decimal expansion ends in 5 just past the cut, e.g. float32-born values like 30533.712890625.
 */
function roundHalfEven(v: number, digits: number, mode: 'fixed' | 'exp'): string {
  const conv = (d: number) => (mode === 'fixed' ? v.toFixed(d) : v.toExponential(d));
  const rounded = conv(digits);
  const longer = conv(digits + 1);
  const mant = mode === 'fixed' ? longer : longer.split('e')[0];
  if (!mant.endsWith('5')) return rounded;
  const exact = conv(Math.min(100, digits + 40));
  const exactMant = mode === 'fixed' ? exact : exact.split('e')[0];
  if (!/^0*$/.test(exactMant.slice(mant.length))) return rounded; // more digits follow: not a tie
  const truncated = mant.slice(0, -1);
  const lastDigit = Number(truncated[truncated.length - 1]);
  if (lastDigit % 2 === 1) return rounded; // round up to the even neighbour
  return mode === 'fixed' ? truncated.replace(/\.$/, '') : `${truncated.replace(/\.$/, '')}e${longer.split('e')[1]}`;
}

/** dragon4_positional(x, precision=8, unique=True, fractional=True, trim='.') split into int and frac parts. */
function positionalParts(x: number): [string, string] {
  let s = positionalDigits(x);
  const dot = s.indexOf('.');
  if (dot >= 0 && s.length - dot - 1 > PRECISION) {
    // more digits than the precision: round the exact binary value to 8 fractional digits
    const neg = s.startsWith('-');
    s = (neg ? '-' : '') + roundHalfEven(Math.abs(x), PRECISION, 'fixed').replace(/0+$/, '');
  }
  const [int, frac = ''] = s.split('.');
  return [int, frac];
}

/** dragon4_scientific(x, precision=8, unique=True, trim='.') split into mantissa int, frac and exponent. */
function scientificParts(x: number): [string, string, number] {
  let s = Math.abs(x).toExponential();
  let [mant, expText] = s.split('e');
  let frac = mant.split('.')[1] ?? '';
  if (frac.length > PRECISION) {
    s = roundHalfEven(Math.abs(x), PRECISION, 'exp');
    [mant, expText] = s.split('e');
    frac = (mant.split('.')[1] ?? '').replace(/0+$/, '');
  }
  const int = (x < 0 || Object.is(x, -0) ? '-' : '') + mant.split('.')[0];
  return [int, frac, Number(expText)];
}

type FloatFormat = (x: number) => string;

/** FloatingFormat.fillFormat + __call__ for one array's values. */
function floatFormatter(values: Float64Array): FloatFormat {
  const finite = Array.from(values).filter(Number.isFinite);
  const nonZero = finite.filter((v) => v !== 0).map(Math.abs);
  let expFormat = false;
  if (nonZero.length > 0) {
    const maxVal = Math.max(...nonZero);
    const minVal = Math.min(...nonZero);
    expFormat = maxVal >= 1e8 || minVal < 0.0001 || maxVal / minVal > 1000;
  }
  let padLeft = 0;
  let padRight = 0;
  let render: (x: number) => string;
  if (finite.length === 0) {
    padLeft = 0;
    padRight = 0;
    render = () => '';
  } else if (expFormat) {
    const parts = finite.map(scientificParts);
    const precision = Math.max(...parts.map((p) => p[1].length));
    const expSize = Math.max(...parts.map((p) => String(Math.abs(p[2])).padStart(2, '0').length));
    padLeft = Math.max(...parts.map((p) => p[0].length));
    padRight = expSize + 2 + precision;
    render = (x) => {
      const [int, frac, exp] = scientificParts(x);
      const e = `e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(expSize, '0')}`;
      return `${int.padStart(padLeft)}.${frac.padEnd(precision, '0')}${e}`;
    };
  } else {
    const parts = finite.map(positionalParts);
    padLeft = Math.max(...parts.map((p) => p[0].length));
    padRight = Math.max(...parts.map((p) => p[1].length));
    render = (x) => {
      const [int, frac] = positionalParts(x);
      return `${int.padStart(padLeft)}.${frac.padEnd(padRight)}`;
    };
  }
  if (finite.length !== values.length) {
    const neginf = Array.from(values).some((v) => v === -Infinity);
    const offset = padRight + 1;
    padLeft = Math.max(padLeft, 3 - offset, 3 + (neginf ? 1 : 0) - offset);
  }
  return (x: number) => {
    if (Number.isNaN(x)) return 'nan'.padStart(padLeft + padRight + 1);
    if (!Number.isFinite(x)) return (x < 0 ? '-inf' : 'inf').padStart(padLeft + padRight + 1);
    return render(x);
  };
}

/** str(ndarray) for a float64 array, as NumPy prints it with default options. */
export function formatArray(a: NDArray): string {
  if (a.ndim === 0) return formatPythonFloat(a.data[0]);
  const summarise = a.size > THRESHOLD;
  const shown = summarise ? summarisedValues(a) : a.data;
  const fmt = floatFormatter(shown);
  if (a.size === 0) return `[${'['.repeat(0)}]`;
  return formatNested(a, fmt, summarise, ' ', ' ', LINEWIDTH);
}

/**
 * repr(ndarray) for a float64 array with default options: "array([[1., 2.],\n       [3., 4.]])". As NumPy's
 * array_repr: separator ', ', continuation lines indented past "array(", the line width reduced by the ")".
 */
export function reprArray(a: NDArray): string {
  const prefix = 'array(';
  if (a.ndim === 0) return `${prefix}${formatPythonFloat(a.data[0])})`;
  const summarise = a.size > THRESHOLD;
  let lst = '[]';
  if (a.size > 0) {
    const fmt = floatFormatter(summarise ? summarisedValues(a) : a.data);
    lst = formatNested(a, fmt, summarise, ', ', ' '.repeat(prefix.length + 1), LINEWIDTH - 1);
  }
  // the shape is added when the text cannot show it (empty or summarised), the dtype when empty
  const extras: string[] = [];
  if ((a.size === 0 && !(a.ndim === 1 && a.shape[0] === 0)) || summarise)
    extras.push(`shape=${shapeToString(a.shape)}`);
  if (a.size === 0) extras.push('dtype=float64');
  if (extras.length === 0) return `${prefix + lst})`;
  const head = `${prefix + lst},`;
  const extra = `${extras.join(', ')})`;
  const lastLine = head.length - (head.lastIndexOf('\n') + 1);
  return head + (lastLine + extra.length + 1 > LINEWIDTH ? `\n${' '.repeat(prefix.length)}` : ' ') + extra;
}

/** The values that a summarised print shows (edge items of every axis), for the format's widths. */
function summarisedValues(a: NDArray): Float64Array {
  const out: number[] = [];
  const walk = (offset: number, axis: number): void => {
    const len = a.shape[axis];
    const stride = a.shape.slice(axis + 1).reduce((x, y) => x * y, 1);
    const idx =
      len > 2 * EDGEITEMS
        ? [...Array(EDGEITEMS).keys(), ...Array.from({ length: EDGEITEMS }, (_, i) => len - EDGEITEMS + i)]
        : [...Array(len).keys()];
    for (const i of idx) {
      if (axis === a.ndim - 1) out.push(a.data[offset + i]);
      else walk(offset + i * stride, axis + 1);
    }
  };
  walk(0, 0);
  return Float64Array.from(out);
}

function formatNested(
  a: NDArray,
  fmt: FloatFormat,
  summarise: boolean,
  separator: string,
  linePrefix: string,
  lineWidth: number,
): string {
  const strides = a.shape.map((_, i) => a.shape.slice(i + 1).reduce((x, y) => x * y, 1));

  const extendLine = (s: string, line: string, word: string, width: number, nextPrefix: string): [string, string] => {
    let needsWrap = line.length + word.length > width;
    if (line.length <= nextPrefix.length) needsWrap = false;
    if (needsWrap) {
      s += `${line.trimEnd()}\n`;
      line = nextPrefix;
    }
    return [s, line + word];
  };

  const recurse = (offset: number, axis: number, hangingIndent: string, currWidth: number): string => {
    const axesLeft = a.ndim - axis;
    const nextHanging = `${hangingIndent} `;
    const nextWidth = currWidth - 1;
    const len = a.shape[axis];
    const showSummary = summarise && len > 2 * EDGEITEMS;
    const leading = showSummary ? EDGEITEMS : len;
    const trailing = showSummary ? EDGEITEMS : 0;
    const child = (i: number) => offset + i * strides[axis];
    let s = '';
    if (axesLeft === 1) {
      const elemWidth = currWidth - 1; // max(len(separator.rstrip()), len(']'))
      let line = hangingIndent;
      const items: number[] = [];
      for (let i = 0; i < leading; i++) items.push(i);
      for (let i = 0; i < items.length; i++) {
        const isLast = !showSummary && i === items.length - 1;
        const word = fmt(a.data[child(items[i])]);
        [s, line] = extendLine(s, line, word, elemWidth, hangingIndent);
        if (!isLast) line += separator;
      }
      if (showSummary) {
        [s, line] = extendLine(s, line, '...', elemWidth, hangingIndent);
        line += separator;
        for (let i = len - trailing; i < len; i++) {
          const word = fmt(a.data[child(i)]);
          [s, line] = extendLine(s, line, word, elemWidth, hangingIndent);
          if (i !== len - 1) line += separator;
        }
      }
      s += line;
    } else {
      const lineSep = separator.trimEnd() + '\n'.repeat(axesLeft - 1);
      const idx: (number | null)[] = [];
      for (let i = 0; i < leading; i++) idx.push(i);
      if (showSummary) {
        idx.push(null);
        for (let i = len - trailing; i < len; i++) idx.push(i);
      }
      idx.forEach((i, k) => {
        const nested = i === null ? '...' : recurse(child(i), axis + 1, nextHanging, nextWidth);
        s += hangingIndent + nested + (k === idx.length - 1 ? '' : lineSep);
      });
    }
    return `[${s.slice(hangingIndent.length)}]`;
  };
  return recurse(0, 0, linePrefix, lineWidth);
}

/** Read a NumPy print ("[[ 1.5 -0.  ]\n [ 2.   3.  ]]", "0.4149...", "nan") back into an NDArray. */
export function parseArray(text: string): NDArray {
  let t = text.trim();
  let reprShape: number[] | null = null;
  const repr = /^array\(([\s\S]*)\)$/.exec(t);
  if (repr) {
    // repr(ndarray): drop the array( ) wrapper and the shape=/dtype= extras (a float64 dtype only)
    t = repr[1].trim();
    const dtype = /,\s*dtype=(\w+)\s*$/.exec(t);
    if (dtype) {
      if (dtype[1] !== 'float64') throw new SyntaxError(`only float64 arrays can be parsed, got dtype=${dtype[1]}`);
      t = t.slice(0, dtype.index).trim();
    }
    const shape = /,\s*shape=\(([\d,\s]*)\)\s*$/.exec(t);
    if (shape) {
      reprShape = shape[1]
        .split(',')
        .filter((x) => x.trim() !== '')
        .map(Number);
      t = t.slice(0, shape.index).trim();
    }
  }
  if (reprShape !== null && t === '[]') return NDArray.zeros(reprShape);
  if (!t.startsWith('[')) {
    const v = parseNumber(t);
    return NDArray.scalar(v);
  }
  const tokens = t.match(/\[|\]|[^\s[\],]+/g) ?? [];
  let k = 0;
  const parse = (): unknown => {
    if (tokens[k] === '[') {
      k++;
      const items: unknown[] = [];
      while (tokens[k] !== ']') {
        if (k >= tokens.length) throw new SyntaxError(`unbalanced brackets in ${JSON.stringify(text)}`);
        if (tokens[k] === '...') throw new SyntaxError('cannot parse a summarised print (contains ...)');
        items.push(parse());
      }
      k++;
      return items;
    }
    return parseNumber(tokens[k++]);
  };
  const nested = parse();
  if (k !== tokens.length) throw new SyntaxError(`trailing text after the array in ${JSON.stringify(text)}`);
  return NDArray.from(nested as never);
}

function parseNumber(s: string): number {
  if (s === 'nan') return NaN;
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  const v = Number(s.endsWith('.') ? `${s}0` : s);
  if (Number.isNaN(v) || s === '') throw new SyntaxError(`not a number: ${JSON.stringify(s)}`);
  return v;
}

/** Number of decimals printed for each value of a print, for "within half a unit of the last digit". */
export function printedDecimals(text: string): number[] {
  const tokens = text.match(/[^\s[\],]+/g) ?? [];
  return tokens.map((tok) => {
    const m = /^-?\d*\.?(\d*)(?:e([+-]\d+))?$/.exec(tok);
    if (!m) return 0;
    return (m[1]?.length ?? 0) - (m[2] ? Number(m[2]) : 0);
  });
}
