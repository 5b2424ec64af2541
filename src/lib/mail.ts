import type { Transporter } from 'nodemailer';

/** The operator's outgoing mail: CHORUS_SMTP_URL (unset: Chorus sends no mail) and CHORUS_MAIL_FROM. */
export interface MailSettings {
  smtpUrl: string | null;
  from: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /** Waits for the messages being sent, then lets the connection go. */
  close(): Promise<void>;
}

/**
 * SMTP through nodemailer: `smtp://user:pass@host:587` upgrades with STARTTLS when the server
 * offers it, `smtps://user:pass@host:465` speaks TLS from the first byte. Timeouts are short
 * so a dead relay cannot hold a shutdown for minutes.
 */
export function smtpMailer(settings: { smtpUrl: string; from: string }): Mailer {
  // nodemailer is loaded with the first message, not at every start-up.
  let transport: Promise<Transporter> | null = null;
  const open = () =>
    (transport ??= import('nodemailer').then(({ createTransport }) =>
      createTransport({ url: settings.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }, { from: settings.from }),
    ));
  const sending = new Set<Promise<unknown>>();
  return {
    async send(message) {
      const sent = open().then((opened) => opened.sendMail(message));
      sending.add(sent);
      try {
        await sent;
      } finally {
        sending.delete(sent);
      }
    },
    async close() {
      await Promise.allSettled(sending);
      (await transport)?.close();
    },
  };
}
