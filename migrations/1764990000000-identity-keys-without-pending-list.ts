import type { MigrationInterface, QueryRunner } from 'typeorm';

const INDEXES = ['contacts_email_keys_idx', 'contacts_phone_keys_idx', 'accounts_phone_keys_idx'];

/**
 * The GIN indexes behind duplicate checks (e-mail and phone keys) write new entries straight
 * into the index instead of a pending list. A pending list is read in full by every lookup:
 * while contacts are created fast (an import, a busy API) each duplicate check of a new record
 * scanned thousands of unmerged entries — most of an import's database time. A row brings one
 * or two keys, so writing them at once costs about what a b-tree entry does.
 */
export class IdentityKeysWithoutPendingList1764990000000 implements MigrationInterface {
  name = 'IdentityKeysWithoutPendingList1764990000000';

  async up(q: QueryRunner): Promise<void> {
    for (const index of INDEXES) {
      await q.query(`ALTER INDEX ${index} SET (fastupdate = off)`);
      // Entries already pending stay there until merged: merged now rather than at the next vacuum.
      await q.query(`SELECT gin_clean_pending_list('${index}'::regclass)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of INDEXES) await q.query(`ALTER INDEX ${index} RESET (fastupdate)`);
  }
}
