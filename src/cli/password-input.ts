import { text } from 'node:stream/consumers';

/** A password from --password, or piped on stdin with --password-stdin (keeps it out of shell history). */
export async function readPassword(flags: { password?: string; passwordStdin?: boolean }): Promise<string> {
  if (flags.password) return flags.password;
  if (flags.passwordStdin) return (await text(process.stdin)).replace(/\r?\n$/, '');
  throw new Error('Give the password with --password-stdin (recommended) or --password');
}
