/**
 * What drives the scheduler's ticks. Production uses a real interval; tests use
 * {@link createManualTimer} and fire ticks themselves, so nothing depends on wall-clock time.
 */

/** Calls `tick` every `ms` until the returned function is called. */
export interface Timer {
  every(ms: number, tick: () => Promise<void>): () => void;
}

/** A `setInterval` timer that does not keep the process alive on its own. */
export function intervalTimer(): Timer {
  return {
    every(ms, tick) {
      const handle = setInterval(() => void tick(), ms);
      handle.unref();
      return () => clearInterval(handle);
    },
  };
}

/** A timer tests fire by hand: `fire()` runs one tick and resolves when it is done. */
export interface ManualTimer extends Timer {
  fire(): Promise<void>;
  /** True between `every` and its cancel. */
  readonly active: boolean;
}

/** Creates a {@link ManualTimer}. */
export function createManualTimer(): ManualTimer {
  let current: (() => Promise<void>) | undefined;
  return {
    every(_ms, tick) {
      current = tick;
      return () => {
        if (current === tick) current = undefined;
      };
    },
    async fire() {
      await current?.();
    },
    get active() {
      return current !== undefined;
    },
  };
}
