import { SealUnreadable, SealedBox, type UnreadableReason } from '../lib/sealed-box.js';

export class CredentialsUnreadable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsUnreadable';
  }
}

const UNREADABLE: Record<UnreadableReason, string> = {
  unknown_format: 'The stored credentials are in an unknown format',
  other_key: 'The stored credentials were sealed with a different secret key (rotate keys with `chorus keys rotate`)',
  altered: 'The stored credentials have been altered or belong to another channel',
};

/** Network credentials at rest, sealed to their channel's row (src/lib/sealed-box.ts). */
export class CredentialsCipher extends SealedBox {
  constructor(secretKey: string) {
    super(secretKey, 'chorus/channel-credentials');
  }

  override open(sealed: string, boundTo: string): unknown {
    try {
      return super.open(sealed, boundTo);
    } catch (error) {
      if (error instanceof SealUnreadable) throw new CredentialsUnreadable(UNREADABLE[error.reason]);
      throw error;
    }
  }
}
