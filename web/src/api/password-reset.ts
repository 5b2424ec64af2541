import { request, segment } from './client.js';

const link = (token: string) => `/api/password-reset/${segment(token)}`;

/** Whether this server can mail reset links (the operator set up SMTP and its public URL). */
export const getPasswordResetAvailability = () => request<{ byMail: boolean }>('GET', '/api/password-reset');

/** The server answers the same whether or not the email has an account. */
export const requestPasswordReset = (email: string) => request<{ linkLifetimeMinutes: number }>('POST', '/api/password-reset', { email });

export const previewResetLink = (token: string) => request<{ expiresAt: string }>('GET', link(token));

export const resetPassword = (token: string, password: string) => request<{ email: string }>('POST', link(token), { password });
