import { z } from 'zod';

/** Request bodies of the sessions list and two-factor sign-in (src/accounts/session-routes.ts, two-factor-routes.ts). */

export const TotpCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'must be the 6-digit code from your authenticator app');
const RecoveryCode = z.string().trim().min(16, 'must be a recovery code (XXXX-XXXX-XXXX-XXXX)').max(40);
const CurrentPassword = z.string().min(1).max(200);

export const SessionParams = z.strictObject({ sessionId: z.string().min(1).max(100) });

export const EndSessionsQuery = z.strictObject({
  /** `current`: keep the session this request came with ("sign out everywhere else"). */
  except: z.literal('current').optional(),
});

export const EnrolmentBody = z.strictObject({ password: CurrentPassword });

export const ConfirmEnrolmentBody = z.strictObject({ code: TotpCode });

export const IdentityProofBody = z
  .strictObject({ password: CurrentPassword.optional(), code: TotpCode.optional() })
  .refine((body) => (body.password === undefined) !== (body.code === undefined), {
    message: 'give either your password or a code from your authenticator app',
  });

export const SecondFactorBody = z
  .strictObject({ challenge: z.string().min(1).max(300), code: TotpCode.optional(), recoveryCode: RecoveryCode.optional() })
  .refine((body) => (body.code === undefined) !== (body.recoveryCode === undefined), { message: 'give either a code or a recovery code' });
