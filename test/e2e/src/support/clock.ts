import { addDays } from '@placement/domain';
import type { Clock } from '@placement/event-store';

/** The business day an e2e server starts on, unless a test says otherwise: the fixtures' "today". */
export const E2E_TODAY = '2026-11-30';

/**
 * The e2e server's clock (the API's CLOCK provider): it starts at a fixed instant and runs on
 * at the real rate, so no test depends on the date it runs and time still passes between two
 * commands. A test that needs time to pass moves it on with `advance` instead of sleeping.
 */
export class TestClock implements Clock {
  private readonly startMs: number;
  private readonly startedAt = performance.now();
  private advancedMs = 0;

  constructor(start = `${E2E_TODAY}T10:00:00Z`) {
    this.startMs = Date.parse(start);
    if (Number.isNaN(this.startMs)) throw new Error(`not an instant: ${start}`);
  }

  now(): Date {
    return new Date(this.startMs + this.advancedMs + Math.floor(performance.now() - this.startedAt));
  }

  /** Moves the clock on by `ms` (never back: recorded instants only go forwards). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error(`a clock only moves forwards, not by ${ms} ms`);
    this.advancedMs += ms;
  }

  /** Moves the clock on to `instant` (which must not be before now): the day a scenario turns to. */
  moveTo(instant: string): void {
    const target = Date.parse(instant);
    if (Number.isNaN(target)) throw new Error(`not an instant: ${instant}`);
    this.advance(target - this.now().getTime());
  }

  /** The instant `ms` from now, as an ISO string (e.g. a hold's `until`). */
  inMs(ms: number): string {
    return new Date(this.now().getTime() + ms).toISOString();
  }
}

/** A business date `days` after (or before, if negative) `date`. */
export const daysAfter = (date: string, days: number): string => addDays(date, days);
