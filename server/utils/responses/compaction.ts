import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { InvalidRequestError, type JsonObject } from '#server/utils/convert/types'
import { replaceCompactionItems } from '#server/utils/convert/responses-common/input'
import { isObject } from '#server/utils/convert/values'

/** The file in CONFIG_DIR that holds the compaction key (32 random bytes, base64url, mode 0600). */
export const COMPACTION_KEY_FILE = 'compaction-key'

/** Marks content sealed by cc-bridge (format version 1), so a foreign item is told apart at once. */
const PREFIX = 'ccb1.'
const IV_BYTES = 12
const TAG_BYTES = 16
/** Binds the ciphertext to its purpose: a blob sealed for something else never opens as a compaction. */
const AAD = Buffer.from('cc-bridge compaction v1')

/**
 * The compaction key of this cc-bridge: read from `<configDir>/compaction-key`, generated there
 * (mode 0600) on first use. Kept across restarts so a Codex session compacted before a restart
 * still opens after it.
 */
export function loadCompactionKey(configDir: string): Buffer {
  const file = join(configDir, COMPACTION_KEY_FILE)
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url')
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key; delete it to generate a new one`)
    return key
  }
  mkdirSync(configDir, { recursive: true })
  const key = randomBytes(32)
  try {
    writeFileSync(file, `${key.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' })
  }
  catch (error) {
    // Another process created it between the check and the write: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadCompactionKey(configDir)
    throw error
  }
  return key
}

/** Seals and opens the `compaction` items that stand for a summarised history. */
export interface CompactionSealer {
  /**
   * A Responses `compaction` output item whose `encrypted_content` holds `items` (the history
   * it replaces, e.g. one summary message) under AES-256-GCM: the client stores it and sends it
   * back as an opaque input item.
   */
  seal(items: readonly JsonObject[], id: string): JsonObject
  /** Whether an input item is a compaction item cc-bridge sealed (and so must open). */
  isSealed(item: unknown): boolean
  /**
   * The items a sealed compaction item stands for. Throws `InvalidRequestError` (a 400 for the
   * client) when the item was altered, sealed under another key or is not cc-bridge's.
   */
  open(item: JsonObject): JsonObject[]
}

/** A {@link CompactionSealer} under a 32-byte key (see {@link loadCompactionKey}). */
export function createCompactionSealer(key: Buffer): CompactionSealer {
  if (key.length !== 32) throw new Error('the compaction key must be 32 bytes')
  return {
    seal(items, id) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(AAD)
      const sealed = Buffer.concat([cipher.update(JSON.stringify(items), 'utf8'), cipher.final()])
      const content = Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url')
      return { type: 'compaction', id, encrypted_content: `${PREFIX}${content}` }
    },

    isSealed(item) {
      return isObject(item) && item.type === 'compaction' && typeof item.encrypted_content === 'string' && item.encrypted_content.startsWith(PREFIX)
    },

    open(item) {
      const content = item.encrypted_content
      if (typeof content !== 'string' || !content.startsWith(PREFIX)) {
        throw new InvalidRequestError('compaction item was not issued by this cc-bridge and cannot be opened', 'input', 'invalid_encrypted_content')
      }
      const raw = Buffer.from(content.slice(PREFIX.length), 'base64url')
      let items: unknown
      try {
        if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('too short')
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES)).setAAD(AAD)
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
        const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()])
        items = JSON.parse(plain.toString('utf8'))
      }
      catch {
        throw new InvalidRequestError('compaction item is damaged or was sealed under another key; start a new conversation', 'input', 'invalid_encrypted_content')
      }
      if (!Array.isArray(items) || !items.every(isObject)) {
        throw new InvalidRequestError('compaction item holds no history', 'input', 'invalid_encrypted_content')
      }
      return items
    },
  }
}

/** Whether a request asks for compaction inline: a `{"type":"compaction_trigger"}` input item (Codex remote compaction v2). */
export function hasCompactionTrigger(body: JsonObject): boolean {
  return Array.isArray(body.input) && body.input.some(item => isObject(item) && item.type === 'compaction_trigger')
}

/** Whether an input list holds a `compaction` item (anyone's): the cheap test before the sealer is needed. */
export function hasCompactionItem(items: unknown): boolean {
  return Array.isArray(items) && items.some(item => isObject(item) && item.type === 'compaction')
}

/**
 * The items with every compaction item cc-bridge sealed replaced by what it stands for (the
 * summary, as a user message): what any channel can read, a native one included, since no
 * upstream can open our seal. Other providers' compaction items stay for the route to judge.
 * Throws `InvalidRequestError` for a sealed item that was altered or sealed under another key.
 */
export function openSealedItems<T>(items: T[], sealer: CompactionSealer): T[] {
  return replaceCompactionItems(items, item => (sealer.isSealed(item) ? sealer.open(item) : [item])) as T[]
}
