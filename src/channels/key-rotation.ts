import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { inTransaction } from '../store/transaction.js';
import { CredentialsCipher } from './credentials-cipher.js';

export interface RotationReport {
  resealed: number;
  alreadyNew: number;
}

/**
 * Re-seals every channel's credentials from the old secret key to the new one, in one
 * transaction: either every row moves to the new key or none does. Rows already sealed with
 * the new key are left alone, so running it twice is harmless.
 */
export async function rotateCredentialsKey(db: Kysely<Database>, oldKey: string, newKey: string): Promise<RotationReport> {
  const from = new CredentialsCipher(oldKey);
  const to = new CredentialsCipher(newKey);
  if (from.keyId === to.keyId) throw new Error('The old and new keys are the same');
  return inTransaction(db, async (tx) => {
    const rows = await tx.selectFrom('channel_accounts').select(['id', 'credentials']).execute();
    const report: RotationReport = { resealed: 0, alreadyNew: 0 };
    for (const row of rows) {
      if (to.sealedWithThisKey(row.credentials)) {
        report.alreadyNew++;
        continue;
      }
      const credentials = from.open(row.credentials, row.id);
      await tx
        .updateTable('channel_accounts')
        .set({ credentials: to.seal(credentials, row.id) })
        .where('id', '=', row.id)
        .execute();
      report.resealed++;
    }
    return report;
  });
}
