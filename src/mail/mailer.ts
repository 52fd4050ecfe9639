// Sends e-mail over SMTP with nodemailer (SMTP_URL, MAIL_FROM); without SMTP_URL there is no mailer and no e-mail.
import { createRequire } from 'node:module';
import type { Config } from '../config.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export function createMailer(config: Pick<Config, 'smtpUrl' | 'channels'>): Mailer | null {
  if (!config.smtpUrl || !config.channels.mailFrom) return null;
  // Loaded only when e-mail is configured: nodemailer takes tens of milliseconds to load.
  const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');
  const transport = nodemailer.createTransport(
    { url: config.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 },
    { from: config.channels.mailFrom },
  );
  return {
    async send(message) {
      await transport.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        headers: message.headers ?? {},
      });
    },
    close() {
      transport.close();
    },
  };
}
