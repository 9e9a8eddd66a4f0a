// Time as milliseconds since the epoch, injectable so tests can expire sessions without waiting.

/** Returns the current time in epoch milliseconds. */
export type Clock = () => number;

/** The wall clock. */
export const systemClock: Clock = () => Date.now();
