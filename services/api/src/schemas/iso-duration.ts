/**
 * ISO 8601 durations of fixed length (weeks, days, hours, minutes, seconds), as a query parameter such as
 * `within=P7D`. Years and months have no fixed length, so they are refused rather than guessed; a day is 24 hours
 * here (a window to look ahead in, not a statutory clock: those come from the working-day calendar).
 */
import { z } from 'zod';

const DURATION = /^P(?:(\d{1,4})W|(?:(\d{1,4})D)?(?:T(?:(\d{1,5})H)?(?:(\d{1,6})M)?(?:(\d{1,7})S)?)?)$/;

/** Milliseconds of a fixed-length ISO 8601 duration, or undefined when it is not one. */
export function durationMs(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [, weeks, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  return ((((weeks! * 7 + days!) * 24 + hours!) * 60 + minutes!) * 60 + seconds!) * 1000;
}

const MAX_MS = 400 * 86_400_000;

/** A query parameter holding a duration of at most 400 days, parsed to milliseconds. */
export function durationParam(defaultValue: string) {
  return z
    .string()
    .max(40)
    .default(defaultValue)
    .transform((text, ctx) => {
      const ms = durationMs(text);
      if (ms === undefined || ms > MAX_MS) {
        ctx.addIssue({ code: 'custom', message: 'an ISO 8601 duration of weeks, days, hours, minutes or seconds up to 400 days, e.g. P7D or PT48H' });
        return z.NEVER;
      }
      return ms;
    });
}
