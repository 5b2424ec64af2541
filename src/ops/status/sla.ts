import { z } from 'zod';
import type { Availability } from './availability.js';

const CreditRule = z.union([
  z.strictObject({ whenAvailabilityBelow: z.number().min(0).max(100), creditPercent: z.number().min(0).max(100) }),
  z.strictObject({ whenOutageLongerThanHours: z.number().positive(), creditPercent: z.number().min(0).max(100) }),
]);

/** The promise to customers: a monthly availability target and what a missed month earns them. */
export const SlaPolicy = z.strictObject({
  targetPercent: z.number().min(0).max(100),
  /** A month earns the largest credit among the rules it meets (credits do not add up). */
  credits: z.array(CreditRule),
});
export type SlaPolicy = z.infer<typeof SlaPolicy>;

export const DEFAULT_SLA: SlaPolicy = {
  targetPercent: 99.9,
  credits: [
    { whenAvailabilityBelow: 99.9, creditPercent: 10 },
    { whenAvailabilityBelow: 99, creditPercent: 25 },
    { whenOutageLongerThanHours: 24, creditPercent: 50 },
  ],
};

export interface MonthVerdict {
  metTarget: boolean | null;
  creditPercent: number;
  /** Which rules the month met, in words, for the report. */
  reasons: string[];
}

export function judgeMonth(policy: SlaPolicy, month: Availability): MonthVerdict {
  if (month.percent === null) return { metTarget: null, creditPercent: 0, reasons: [] };
  const reasons: string[] = [];
  let creditPercent = 0;
  for (const rule of policy.credits) {
    const met =
      'whenAvailabilityBelow' in rule ? month.percent < rule.whenAvailabilityBelow : month.longestOutageMs > rule.whenOutageLongerThanHours * 3_600_000;
    if (!met) continue;
    reasons.push(
      'whenAvailabilityBelow' in rule
        ? `availability below ${rule.whenAvailabilityBelow} %: ${rule.creditPercent} %`
        : `an outage longer than ${rule.whenOutageLongerThanHours} h: ${rule.creditPercent} %`,
    );
    creditPercent = Math.max(creditPercent, rule.creditPercent);
  }
  return { metTarget: month.percent >= policy.targetPercent, creditPercent, reasons };
}
