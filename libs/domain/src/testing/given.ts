// Jest's `expect`, named here for the build that takes in these builders (the seeds, the synthetic log).
/// <reference types="jest" />
import { isDomainError, type DomainErrorCode } from '../shared/errors';
import { fold, type Decider } from '../shared/decider';

/**
 * Given/when/then on a decider: `given(bedDecider, [BedAdded]).when(HoldBed).then([BedHeld])`
 * or `.thenFails('BED_NOT_VACANT', 'from 2025-03-01')`. A failing command must throw a DomainError
 * and so write nothing.
 */
export function given<C, E, S>(decider: Decider<C, E, S>, events: readonly E[]) {
  const state = fold(decider, events);
  return {
    state,
    when(command: C) {
      const run = (): E[] => decider.decide(command, state);
      return {
        then(expected: readonly E[]): E[] {
          const actual = run();
          expect(actual).toEqual(expected);
          return actual;
        },
        /** Runs the command and hands back the events for finer assertions. */
        events(): E[] {
          return run();
        },
        /** The refusal's stable code and, when given, what its message must say (a clashing booking's dates). */
        thenFails(code: DomainErrorCode, saying?: string | RegExp): void {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(isDomainError(thrown) ? thrown.code : thrown).toBe(code);
          if (saying !== undefined && isDomainError(thrown)) expect(thrown.message).toMatch(saying);
        },
      };
    },
  };
}
