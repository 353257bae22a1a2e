/** Bad seeds, sizes, bounds and states get NumPy's errors, never a silently wrong stream. */
import { describe, expect, it } from 'vitest';
import { RandomState, ValueError } from './index.ts';
import { NDArray } from '../tensor/ndarray.ts';

describe('seed', () => {
  it.each([
    [-1, ValueError, 'Seed must be between 0 and 2**32 - 1'],
    [2 ** 32, ValueError, 'Seed must be between 0 and 2**32 - 1'],
    [1.5, TypeError, "Cannot cast array data from dtype('float64') to dtype('int64') according to the rule 'safe'"],
    [[], ValueError, 'Seed must be non-empty'],
    [[[1, 2]], ValueError, 'Seed array must be 1-d'],
    [[1, -1], ValueError, 'Seed must be between 0 and 2**32 - 1'],
    [[1, 2 ** 32], ValueError, 'Seed must be between 0 and 2**32 - 1'],
    ['abc', TypeError, "Cannot cast array data from dtype('<U3') to dtype('int64') according to the rule 'safe'"],
    [NDArray.from([1, 2]), TypeError, "dtype('float64')"],
  ])('seed(%j) raises %o', (seed, cls, message) => {
    const rs = new RandomState(0);
    expect(() => rs.seed(seed as never)).toThrow(cls as never);
    expect(() => rs.seed(seed as never)).toThrow(message as string);
  });

  it('accepts the documented integer forms alike: 5, 5n, true == 1, and keeps [5] distinct (init_by_array)', () => {
    const a = new RandomState(5).rand(3).data;
    expect(new RandomState(5n).rand(3).data).toEqual(a);
    expect(new RandomState(true).rand(3).data).toEqual(new RandomState(1).rand(3).data);
    expect(new RandomState([5]).rand(3).data).not.toEqual(a);
  });

  it('a failed seed leaves the previous state untouched', () => {
    const rs = new RandomState(7);
    const before = rs.get_state();
    expect(() => rs.seed(-3)).toThrow(ValueError);
    expect(rs.get_state()[1]).toEqual(before[1]);
  });
});

describe('sizes and bounds', () => {
  const rs = new RandomState(0);
  it('negative or fractional dimensions are refused', () => {
    expect(() => rs.randn(-1)).toThrow('negative dimensions are not allowed');
    expect(() => rs.rand(2.5)).toThrow("'float' object cannot be interpreted as an integer");
    expect(() => rs.standard_normal([2, -3])).toThrow('negative dimensions are not allowed');
  });
  it('randint checks its bounds against the dtype', () => {
    expect(() => rs.randint(5, 5)).toThrow('low >= high');
    expect(() => rs.randint(0, 300, 3, 'uint8')).toThrow('high is out of bounds for uint8');
    expect(() => rs.randint(-1, 3, 3, 'uint32')).toThrow('low is out of bounds for uint32');
    expect(() => rs.randint(0, 3, 3, 'float32' as never)).toThrow("Unsupported dtype 'float32'");
  });
  it('normal refuses a negative scale and uniform an infinite range', () => {
    expect(() => rs.normal(0, -1, 3)).toThrow('scale < 0');
    expect(() => rs.uniform(-Infinity, 0, 3)).toThrow('Range exceeds valid bounds');
  });
  it('a zero-width randint range consumes nothing from the stream', () => {
    const a = new RandomState(11);
    const b = new RandomState(11);
    expect((a.randint(4, 5, 10) as { toNumbers(): number[] }).toNumbers()).toEqual(Array(10).fill(4));
    expect(a.rand(3).data).toEqual(b.rand(3).data);
  });
});

describe('set_state', () => {
  const good = () => new RandomState(1).get_state();
  it('round-trips', () => {
    const rs = new RandomState(1);
    rs.randn(3);
    const st = rs.get_state();
    const a = rs.randn(5).data;
    const other = new RandomState(99);
    other.set_state(st);
    expect(other.randn(5).data).toEqual(a);
  });
  it.each([
    [['PCG64', ...good().slice(1)], 'set_state can only be used with legacy MT19937 state instances.'],
    [['MT19937', new Uint32Array(10), 624, 0, 0], 'state must be 624 elements'],
    [['MT19937', good()[1], 625, 0, 0], 'state pos 625 is not in [0, 624]'],
    [['MT19937', good()[1]], 'state must be a 3- or 5-tuple'],
    [['MT19937', Array(624).fill(-1), 0, 0, 0], 'is not a uint32'],
  ])('refuses %#', (state, message) => {
    expect(() => new RandomState(0).set_state(state as never)).toThrow(message);
  });
  it('refuses a non-sequence', () => {
    expect(() => new RandomState(0).set_state('x' as never)).toThrow('state must be a dict or a tuple.');
  });
});
