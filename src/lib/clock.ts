/** Injected wherever time decides behaviour (lockouts, expiry), so tests can move it. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export const isoNow = (clock: Clock): string => clock().toISOString();

export const isoIn = (clock: Clock, milliseconds: number): string => new Date(clock().getTime() + milliseconds).toISOString();
