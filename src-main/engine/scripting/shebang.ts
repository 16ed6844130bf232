// A script's first line `#!lua flags=no-writes,allow-oom,...` (eval.c luaCreateFunction, script.c
// scripts_flags_def). Without one, a script runs in Redis's compatibility mode (EVAL as before 7.0).
import type { BinaryString } from '../protocol/request-parser.js';
import type { CommandFlag } from '../core/command-table.js';

export interface ScriptFlags {
  /** No shebang: none of the flag checks apply (SCRIPT_FLAG_EVAL_COMPAT_MODE). */
  compat: boolean;
  noWrites: boolean;
  allowOom: boolean;
  allowStale: boolean;
  noCluster: boolean;
}

export const COMPAT_FLAGS: ScriptFlags = Object.freeze({
  compat: true,
  noWrites: false,
  allowOom: false,
  allowStale: false,
  noCluster: false,
});

const FLAG_NAMES: Record<string, keyof ScriptFlags> = {
  'no-writes': 'noWrites',
  'allow-oom': 'allowOom',
  'allow-stale': 'allowStale',
  'no-cluster': 'noCluster',
};

/** The flags of a function's `flags` list (FUNCTION's register_function), or the unknown name. */
export function flagsFromNames(names: readonly string[]): ScriptFlags | { unknown: string } {
  const flags: ScriptFlags = { ...COMPAT_FLAGS, compat: false };
  for (const name of names) {
    const key = FLAG_NAMES[name];
    if (key === undefined) return { unknown: name };
    flags[key] = true;
  }
  return flags;
}

/** The body's flags and where its code starts, or the error Redis replies. */
export function parseShebang(body: BinaryString): { flags: ScriptFlags; codeStart: number } | { error: string } {
  if (!body.startsWith('#!')) return { flags: COMPAT_FLAGS, codeStart: 0 };
  let end = body.indexOf('\n');
  if (end < 0) end = body.length;
  const parts = body
    .slice(0, end)
    .split(' ')
    .filter((p) => p !== '');
  if (parts.length === 0) return { error: 'ERR Invalid engine in script shebang' };
  if (parts[0] !== '#!lua') return { error: `ERR Unexpected engine in script shebang: ${parts[0]}` };
  let flags: ScriptFlags = { ...COMPAT_FLAGS, compat: false };
  for (const part of parts.slice(1)) {
    if (!part.startsWith('flags=')) return { error: `ERR Unknown lua shebang option: ${part}` };
    const list = part.slice(6);
    const parsed = flagsFromNames(list === '' ? [] : list.split(','));
    if ('unknown' in parsed) return { error: `ERR Unexpected flag in script shebang: ${parsed.unknown}` };
    flags = parsed;
  }
  return { flags, codeStart: end };
}

/**
 * scriptFlagsToCmdFlags: the flags of a command running a script that declared its own (a
 * shebang, or a function): write unless no-writes, denyoom unless allow-oom or no-writes, stale
 * with allow-stale; null in compatibility mode (the command's own flags apply).
 */
export function commandFlagsOf(commandFlags: readonly CommandFlag[], flags: ScriptFlags): CommandFlag[] | null {
  if (flags.compat) return null;
  const out: CommandFlag[] = commandFlags.filter((f) => f !== 'stale' && f !== 'denyoom' && f !== 'write' && f !== 'may_replicate');
  if (!flags.allowOom && !flags.noWrites) out.push('denyoom');
  if (!flags.noWrites) out.push('write');
  if (flags.allowStale) out.push('stale');
  return out;
}
