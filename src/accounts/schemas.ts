import { z } from 'zod';
import { LOCALES } from './users.js';

export const Email = z.string().trim().max(254).email('must be an email address');
export const Password = z.string().min(10, 'must be at least 10 characters').max(200, 'must be at most 200 characters');
export const PersonName = z.string().trim().min(1, 'must not be empty').max(100);
export const Locale = z.enum(LOCALES);

export const SetupBody = z.strictObject({
  name: PersonName,
  email: Email,
  password: Password,
  orgName: z.string().trim().min(1).max(100),
  locale: Locale.optional(),
});

export const LoginBody = z.strictObject({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(200),
});

export const ProfileBody = z.strictObject({ name: PersonName.optional(), locale: Locale.optional() });

export const PasswordChangeBody = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: Password,
  revokeApiTokens: z.boolean().optional(),
});

export const NewTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

export const TokenParams = z.strictObject({ tokenId: z.string().min(1).max(100) });

export const PasswordResetRequestBody = z.strictObject({ email: Email });

export const ResetTokenParams = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'must be the token of a reset link') });

export const PasswordResetBody = z.strictObject({ password: Password });
