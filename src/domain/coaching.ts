/**
 * Coaching for the step a person aims at: on each axis where the target level expects a higher
 * step than the current one, the advice and the examples of evidence of the target step
 * (ladder-data/coaching.yaml), and the steps passed on the way. Pure.
 *
 * The advice is keyed by the target step, never by the axis alone: TPM4 → TPM5 on People aims at
 * Manages (careers, expectations, performance), so it is Manages' advice that is shown, not the
 * advice of a step the person already has.
 */
import type { Axis, Ladder, Position, Step } from './ladder/model.ts';

export interface StepAdvice {
  axis: Axis;
  from: Step;
  to: Step;
  /** Steps strictly between `from` and `to` (cumulative steps the person passes on the way). */
  via: Step[];
  /** The target step's advice; the axis-level fallback of a ladder without coaching; or null. */
  advice: string | null;
  /** "What counts here" at the target step. */
  examples: readonly string[];
}

/** The coaching for moving from one step to a higher one on an axis. */
export function adviceForStep(ladder: Ladder, axis: Axis, from: Step, to: Step): StepAdvice {
  return {
    axis,
    from,
    to,
    via: axis.steps.filter((step) => step.number > from.number && step.number < to.number),
    advice: to.advice ?? ladder.growthSuggestions.axes[axis.id] ?? null,
    examples: to.examples,
  };
}

/** Advice for every axis on which `target` expects a higher step than `level`, in axis order. */
export function growthAdvice(ladder: Ladder, level: Position, target: Position): StepAdvice[] {
  return ladder.axes.flatMap((axis) => {
    const from = level.steps[axis.id];
    const to = target.steps[axis.id];
    return from && to && to.number > from.number ? [adviceForStep(ladder, axis, from, to)] : [];
  });
}

/** "What counts here" for one position: each axis' step with its examples, in axis order. */
export function examplesForPosition(
  ladder: Ladder,
  position: Position,
): Array<{ axis: Axis; step: Step; examples: readonly string[] }> {
  return ladder.axes.map((axis) => {
    const step = position.steps[axis.id];
    return { axis, step, examples: step.examples };
  });
}
