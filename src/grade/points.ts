/**
 * Points per notebook function. The default is the course's: the graded cells of "Building your Deep Neural
 * Network: Step by Step" (W4A1) carry nbgrader metadata `"points": 10` on each of the ten exercises' test cells
 * (initialize_parameters ... update_parameters), 100 in all; the helpers (sigmoid, relu and their backwards)
 * come from dnn_utils and are not graded. `--points FILE` replaces them with a JSON object
 * { "function_name": points, ... }.
 */
import { readFileSync } from 'node:fs';
import { FUNCTION_NAMES } from '../engine/catalogue.ts';

export type Points = Record<string, number>;

export const COURSE_POINTS: Readonly<Points> = Object.freeze({
  initialize_parameters: 10,
  initialize_parameters_deep: 10,
  linear_forward: 10,
  linear_activation_forward: 10,
  L_model_forward: 10,
  compute_cost: 10,
  linear_backward: 10,
  linear_activation_backward: 10,
  L_model_backward: 10,
  update_parameters: 10,
});

export class PointsError extends Error {
  override name = 'PointsError';
}

/** Reads and validates a points file: an object of known notebook function names to finite numbers >= 0. */
export function readPoints(path: string): Points {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new PointsError(`cannot read the points file ${path}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new PointsError(`the points file ${path} is not JSON: ${(err as Error).message}`);
  }
  return parsePoints(value, path);
}

export function parsePoints(value: unknown, where = 'points'): Points {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new PointsError(`${where} must be a JSON object of function name to points, e.g. {"linear_forward": 10}`);
  const out: Points = {};
  for (const [fn, p] of Object.entries(value)) {
    if (!FUNCTION_NAMES.includes(fn))
      throw new PointsError(`${where}: '${fn}' is not a notebook function (see src/engine/catalogue.ts)`);
    if (typeof p !== 'number' || !Number.isFinite(p) || p < 0)
      throw new PointsError(`${where}: the points of '${fn}' must be a number >= 0, got ${JSON.stringify(p)}`);
    out[fn] = p;
  }
  if (Object.keys(out).length === 0) throw new PointsError(`${where} names no function`);
  return out;
}
