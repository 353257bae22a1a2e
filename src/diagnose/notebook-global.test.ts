/**
 * A NameError whose name a line of the file binds, where that line could not run here: a notebook global (a model
 * sizing w from `num_px`, which the notebook computes from the cat images), not a misspelling.
 */
import { describe, expect, it } from 'vitest';
import { notebookGlobal, rootCauses } from './root-cause.ts';
import type { CheckResult } from '../check/types.ts';

const dropped = [
  {
    where: 'cell 8 line 2',
    text: 'm_train = train_set_x_orig.shape[0]',
    why: "raised NameError: name 'x' is not defined",
  },
  {
    where: 'cell 8 line 4',
    text: 'num_px = train_set_x_orig.shape[1]',
    why: "raised NameError: name 'x' is not defined",
  },
  { where: 'cell 9 line 1', text: 'print(num_px)', why: 'not run at load time' },
  { where: 'cell 12 line 1', text: '(w, b) = initialize_with_zeros(2)', why: 'not run at load time' },
];

describe('notebookGlobal', () => {
  it('names the line that binds the global and why it could not run', () => {
    const s = notebookGlobal(
      "model uses 'num_px', which is not defined (a misspelt name, or a missing import?)",
      dropped,
    );
    expect(s).toBe(
      "model reads the notebook global 'num_px', which only cell 8 line 4 of the file binds (`num_px = train_set_x_orig.shape[1]`), a line that could not run here: it raised NameError: name 'x' is not defined; the function depends on the notebook's state: compute it from the function's own arguments",
    );
    expect(notebookGlobal("f uses 'b', which is not defined (a misspelt name, or a missing import?)", dropped)).toMatch(
      /only cell 12 line 1 of the file binds \(`\(w, b\) = initialize_with_zeros\(2\)`\), a line that could not run here; the function/,
    );
  });

  it('leaves a name no line binds (a real misspelling) and any other sentence alone', () => {
    expect(
      notebookGlobal("model uses 'nump_x', which is not defined (a misspelt name, or a missing import?)", dropped),
    ).toBeUndefined();
    expect(notebookGlobal("model uses 'print', which is not defined", dropped)).toBeUndefined();
    expect(notebookGlobal('model returns the wrong costs', dropped)).toBeUndefined();
    expect(notebookGlobal("model uses 'num_px', which is not defined", undefined)).toBeUndefined();
  });
});

describe("root causes follow the file's own call graph", () => {
  const failing = (fn: string) => ({
    id: `differential/${fn}`,
    function: fn,
    kind: 'differential',
    status: 'fail',
    message: `${fn} differs`,
  });
  const checks = [failing('linear_backward'), failing('linear_activation_backward')] as CheckResult[];
  it('groups a caller under its callee by the notebook, unless its source never reaches that callee', () => {
    expect(rootCauses({ checks }).map((c) => c.function)).toEqual(['linear_backward']);
    const reaches = { linear_activation_backward: ['linear_backward', 'relu_backward'] };
    expect(rootCauses({ checks, detected: { callGraph: reaches } } as never).map((c) => c.function)).toEqual([
      'linear_backward',
    ]);
    const never = { linear_activation_backward: ['relu_backward', 'sigmoid_backward'] };
    expect(rootCauses({ checks, detected: { callGraph: never } } as never).map((c) => c.function)).toEqual([
      'linear_backward',
      'linear_activation_backward',
    ]);
  });
});
