/** Injected wherever time decides behaviour (lockouts, expiry), so tests can move it. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export const isoNow = (clock: Clock): string => clock().toISOString();

export const isoIn = (clock: Clock, milliseconds: number): string => new Date(clock().getTime() + milliseconds).toISOString();

/** Waits: injected where behaviour waits on purpose (login slowdown), so tests record instead of sleeping. */
export type Delay = (milliseconds: number) => Promise<void>;

export const realDelay: Delay = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));
