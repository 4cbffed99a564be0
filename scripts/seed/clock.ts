export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Seeded dates count back from the start of today (UTC), so a re-run the same day writes the same rows. */
export const startOfToday = () => Math.floor(Date.now() / DAY) * DAY;
