/** The tables of the embedded key store (sqlite-key-store.ts): keys made one by one, keys from the pool, the log checkpoint. */
export const KEY_STORE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS data_keys (
    subject      TEXT    NOT NULL,            -- case:<referralId> or party:<partyId>@<referralId>
    generation   INTEGER NOT NULL,            -- a subject erased and seen again gets a new generation
    party_id     TEXT,                        -- for party subjects: erasure finds a person's keys by it
    referral_id  TEXT    NOT NULL,            -- disposal finds a case's keys by it
    wrapped      BLOB,                        -- NULL once destroyed
    kek_id       TEXT,
    created_at   TEXT    NOT NULL,
    destroyed_at TEXT,
    PRIMARY KEY (subject, generation)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS data_keys_by_party ON data_keys (party_id) WHERE party_id IS NOT NULL;
  CREATE INDEX IF NOT EXISTS data_keys_by_case ON data_keys (referral_id);
  -- Keys created ahead (key-pool.ts), in creation order: generation numbers from pool_sequence, all above
  -- POOL_GENERATION_BASE, so they never meet a generation counted per subject in data_keys (the keys made one by one
  -- before the pool, still read and destroyed there). A key is bound where it lies: its case and person are filled
  -- in when the log is read, so binding touches this row and two index entries, not a row placed by a random subject.
  -- The subject is not stored: it is the two ids (POOL_SUBJECT); a file made before this has a subject column, filled
  -- in for the keys it bound then, and no longer written or read.
  CREATE TABLE IF NOT EXISTS pool_keys (
    generation   INTEGER PRIMARY KEY,
    lease        TEXT    NOT NULL,            -- the process that created it: only that one hands it out
    party_id     TEXT,                        -- for a person's key; NULL for a case's key
    referral_id  TEXT,                        -- NULL until bound
    wrapped      BLOB,                        -- NULL once destroyed
    kek_id       TEXT,
    created_at   TEXT    NOT NULL,
    destroyed_at TEXT
  );
  CREATE INDEX IF NOT EXISTS pool_keys_by_party ON pool_keys (party_id) WHERE party_id IS NOT NULL;
  CREATE INDEX IF NOT EXISTS pool_keys_by_case ON pool_keys (referral_id) WHERE referral_id IS NOT NULL;
  CREATE TABLE IF NOT EXISTS pool_sequence (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    next INTEGER NOT NULL
  );
  -- How far the log has been read for bindings and destructions (the KeyLogFollower); the name is from when it
  -- read only destructions.
  CREATE TABLE IF NOT EXISTS shredder_checkpoint (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position TEXT NOT NULL
  );
`;

/**
 * A pool key's subject, from the ids binding wrote (NULL while unbound): `case:<referralId>` or
 * `party:<partyId>@<referralId>`, as key-store.ts names them. Binding once wrote it out as well, 90 bytes a person's
 * key that repeated the two ids, and the wider row made each binding's UPDATE about a quarter dearer.
 */
export const POOL_SUBJECT = `CASE WHEN party_id IS NULL THEN 'case:' || referral_id ELSE 'party:' || party_id || '@' || referral_id END`;

/** Binds a pool key to its subject, once (a key already bound stays as it is). Parameters: party, referral, generation. */
export const BIND_POOL_KEY = 'UPDATE pool_keys SET party_id = ?, referral_id = ? WHERE generation = ? AND referral_id IS NULL';

/** Saves how far the log has been read. Never backwards: another process reading the same log may save an older position. */
export const SAVE_LOG_CHECKPOINT = `INSERT INTO shredder_checkpoint (id, position) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position
  WHERE CAST(excluded.position AS INTEGER) > CAST(position AS INTEGER)`;
