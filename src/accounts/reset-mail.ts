import type { MailMessage } from '../lib/mail.js';
import type { ResetMail } from './password-reset.js';

/** The page of the web app that takes a reset link's token. */
export const resetLink = (publicUrl: string, token: string): string => `${publicUrl.replace(/\/+$/, '')}/reset-password/${token}`;

/** The reset mail in the user's language: plain text, so the link is the only thing to click. */
export function resetMailMessage(mail: ResetMail, link: string, lifetimeMinutes: number): MailMessage {
  const { email, name, locale } = mail.user;
  if (locale === 'ja') {
    return {
      to: email,
      subject: 'Chorus のパスワードの再設定',
      text: [
        `${name} さん`,
        '',
        'Chorus アカウントのパスワード再設定の依頼を受け付けました。次のリンクから新しいパスワードを設定してください。',
        '',
        link,
        '',
        `このリンクは ${lifetimeMinutes} 分間、1 回だけ使えます。新しいパスワードを設定すると、すべての端末でサインアウトされます。`,
        'この依頼に心当たりがない場合は、このメールを無視してください。パスワードは変わりません。',
      ].join('\n'),
    };
  }
  return {
    to: email,
    subject: 'Reset your Chorus password',
    text: [
      `Hello ${name},`,
      '',
      'Someone asked to reset the password of your Chorus account. To choose a new password, open this link:',
      '',
      link,
      '',
      `The link works once, for ${lifetimeMinutes} minutes. Setting a new password signs you out everywhere.`,
      'If you did not ask for this, ignore this mail: your password stays as it is.',
    ].join('\n'),
  };
}
