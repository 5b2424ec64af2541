import { request, segment } from './client.js';
import type { ApiToken, Locale, User } from './types.js';

export const updateProfile = (changes: { name?: string; locale?: Locale }) => request<{ user: User }>('PATCH', '/api/me', changes);

export const changePassword = (input: { currentPassword: string; newPassword: string; revokeApiTokens?: boolean }) =>
  request<void>('POST', '/api/me/password', input);

export const listApiTokens = () => request<{ tokens: ApiToken[] }>('GET', '/api/me/tokens');

export const createApiToken = (input: { name: string; expiresInDays?: number }, idempotencyKey: string) =>
  request<{ token: string; apiToken: ApiToken }>('POST', '/api/me/tokens', input, { idempotencyKey });

export const revokeApiToken = (tokenId: string) => request<void>('DELETE', `/api/me/tokens/${segment(tokenId)}`);
