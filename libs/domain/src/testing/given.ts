import { isDomainError, type DomainErrorCode } from '../shared/errors';
import { fold, type Decider } from '../shared/decider';

/**
 * Given/when/then on a decider: `given(bedDecider, [BedAdded]).when(HoldBed).then([BedHeld])`
 * or `.thenFails('BED_NOT_VACANT')`. A failing command must throw a DomainError and so write nothing.
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
        thenFails(code: DomainErrorCode): void {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(isDomainError(thrown) ? thrown.code : thrown).toBe(code);
        },
      };
    },
  };
}
