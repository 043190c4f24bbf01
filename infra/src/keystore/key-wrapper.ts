/**
 * Wrapping data keys with a key-encryption key (KEK): the port a KMS plugs into. The embedded default wraps locally
 * with AES-256-GCM under `HRU_MASTER_KEY` (or a key generated into the data dir). A production deployment
 * implements `KeyWrapper` over its KMS instead, so the KEK never leaves it:
 *
 * - HashiCorp Vault transit: `wrap` is `POST /v1/transit/encrypt/<name>` with the data key as base64 `plaintext`
 *   (the `ciphertext` it returns, `vault:v<n>:…`, is what is stored); `unwrap` is `POST /v1/transit/decrypt/<name>`;
 *   `id` names the transit key. Vault's own key versions rotate the KEK (`rewrap` re-wraps without exposing keys).
 * - A cloud KMS (AWS KMS `Encrypt`/`Decrypt`, GCP Cloud KMS `encrypt`/`decrypt`, Azure Key Vault `wrapKey`/
 *   `unwrapKey`): the same two calls with the key's ARN or resource name as `id`.
 *
 * Unwrapped data keys are cached in memory by the key store, so the KMS is asked once per key per process, not per
 * event. Wrapping is synchronous here because the local wrapper is; a KMS adapter would make the key store's
 * create/read paths await it (they are already async at the port).
 */
import { createCipheriv, createDecipheriv, createHash, createSecretKey, type KeyObject } from 'node:crypto';
import { randomBytesFromPool } from '@hru/application';

export interface KeyWrapper {
  /** Names the KEK (stored beside each wrapped key, so rotation knows which rows are still under the old one). */
  readonly id: string;
  wrap(dataKey: Buffer): Buffer;
  unwrap(wrapped: Buffer): Buffer;
}

/** A 32-byte KEK as configured: base64 (standard or url-safe) of exactly 32 bytes. */
export function parseMasterKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new RangeError(`a master key is 32 bytes in base64, got ${key.length} bytes`);
  return key;
}

/** AES-256-GCM key wrapping under a local KEK: nonce (12) ‖ wrapped key (32) ‖ tag (16). */
export class LocalKeyWrapper implements KeyWrapper {
  readonly id: string;
  /** The associated data of every wrap: the KEK's id (made once; the pool wraps hundreds of keys at a time). */
  private readonly aad: Buffer;
  /** The KEK imported once: a Buffer key is imported again by every cipher made with it (each wrap and unwrap). */
  private readonly kek: KeyObject;

  constructor(kek: Buffer) {
    if (kek.length !== 32) throw new RangeError('the key-encryption key must be 32 bytes');
    this.kek = createSecretKey(kek);
    // A public fingerprint, never the key: which KEK wrapped a row.
    this.id = `local:${createHash('sha256').update('hru-kek-id').update(kek).digest('hex').slice(0, 16)}`;
    this.aad = Buffer.from(this.id);
  }

  wrap(dataKey: Buffer): Buffer {
    const iv = randomBytesFromPool(12);
    const cipher = createCipheriv('aes-256-gcm', this.kek, iv);
    cipher.setAAD(this.aad);
    return Buffer.concat([iv, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
  }

  unwrap(wrapped: Buffer): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.kek, wrapped.subarray(0, 12));
    decipher.setAAD(this.aad);
    decipher.setAuthTag(wrapped.subarray(wrapped.length - 16));
    return Buffer.concat([decipher.update(wrapped.subarray(12, wrapped.length - 16)), decipher.final()]);
  }
}
