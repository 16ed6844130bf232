// Constants of the RDB format (src/rdb.h, Redis 7.0 plus the two 7.2 types a v11 file can hold).

/** The version we write: Redis 7.0 refuses anything newer ("Can't handle RDB format version"). */
export const RDB_VERSION_WRITTEN = 10;
/** The newest version we read (Redis 7.2); its only additions are types 20 and 21. */
export const RDB_VERSION_MAX_READ = 11;

export const RdbType = {
  STRING: 0,
  LIST: 1,
  SET: 2,
  ZSET: 3,
  HASH: 4,
  ZSET_2: 5,
  MODULE: 6,
  MODULE_2: 7,
  HASH_ZIPMAP: 9,
  LIST_ZIPLIST: 10,
  SET_INTSET: 11,
  ZSET_ZIPLIST: 12,
  HASH_ZIPLIST: 13,
  LIST_QUICKLIST: 14,
  STREAM_LISTPACKS: 15,
  HASH_LISTPACK: 16,
  ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18,
  STREAM_LISTPACKS_2: 19,
  SET_LISTPACK: 20,
  STREAM_LISTPACKS_3: 21,
} as const;

const OBJECT_TYPES: ReadonlySet<number> = new Set(Object.values(RdbType));

/** rdbIsObjectType: a byte that starts a key/value pair rather than an opcode. */
export function isObjectType(type: number): boolean {
  return OBJECT_TYPES.has(type);
}

export const RdbOpcode = {
  FUNCTION2: 245,
  FUNCTION_PRE_GA: 246,
  MODULE_AUX: 247,
  IDLE: 248,
  FREQ: 249,
  AUX: 250,
  RESIZEDB: 251,
  EXPIRETIME_MS: 252,
  EXPIRETIME: 253,
  SELECTDB: 254,
  EOF: 255,
} as const;

/** Length prefixes (rdbSaveLen / rdbLoadLenByRef). */
export const RDB_14BITLEN = 1;
export const RDB_32BITLEN = 0x80;
export const RDB_64BITLEN = 0x81;
export const RDB_ENCVAL = 3;

/** Special string encodings after an 11xxxxxx length byte. */
export const RDB_ENC_INT8 = 0;
export const RDB_ENC_INT16 = 1;
export const RDB_ENC_INT32 = 2;
export const RDB_ENC_LZF = 3;

/** Quicklist 2 node containers (quicklist.h). */
export const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
export const QUICKLIST_NODE_CONTAINER_PACKED = 2;

/** Module serialisation opcodes (rdb.h RDB_MODULE_OPCODE_*), needed to name the module in errors. */
export const RDB_MODULE_OPCODE_UINT = 2;

/** The defaults of redis.conf that decide which encoding a value gets on disk. */
export interface EncodingLimits {
  /** list-max-listpack-size -2: 8 kB per quicklist node. */
  listMaxListpackBytes: number;
  setMaxIntsetEntries: number;
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
  streamNodeMaxBytes: number;
  streamNodeMaxEntries: number;
}

export const DEFAULT_ENCODING_LIMITS: EncodingLimits = {
  listMaxListpackBytes: 8192,
  setMaxIntsetEntries: 512,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
  hashMaxListpackEntries: 128,
  hashMaxListpackValue: 64,
  streamNodeMaxBytes: 4096,
  streamNodeMaxEntries: 100,
};

const MODULE_TYPE_NAME_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The 9-character module type name encoded in a module id (module.c moduleTypeNameByID). */
export function moduleTypeNameById(moduleId: bigint): string {
  let id = moduleId >> 10n;
  const chars: string[] = [];
  for (let j = 0; j < 9; j++) {
    chars.unshift(MODULE_TYPE_NAME_CHARSET[Number(id & 63n)]!);
    id >>= 6n;
  }
  return chars.join('');
}
