// What SENTINEL SET changes on a master and SENTINEL CONFIG on the Sentinel (sentinel.c's
// sentinelSetCommand and sentinelConfigSetCommand), with Redis's error texts.
import { accessSync, constants } from 'node:fs';
import type { Instance } from './instance.js';
import type { Sentinel } from './sentinel.js';

/** A decimal integer as Redis's string2ll reads it, or null. */
export function toInt(text: string): number | null {
  return /^-?\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : null;
}

/** access(path, X_OK): can the script be run? */
export function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** SENTINEL CONFIG's global options (Redis 7.0). */
export function configValue(sentinel: Sentinel, name: string): string {
  switch (name) {
    case 'resolve-hostnames':
      return sentinel.resolveHostnames ? 'yes' : 'no';
    case 'announce-hostnames':
      return sentinel.announceHostnames ? 'yes' : 'no';
    case 'announce-ip':
      return sentinel.announceIp ?? '';
    case 'announce-port':
      return String(sentinel.announcePort);
    case 'sentinel-user':
      return sentinel.sentinelUser ?? '';
    default:
      return sentinel.sentinelPass ?? '';
  }
}
export const CONFIG_NAMES = ['resolve-hostnames', 'announce-hostnames', 'announce-ip', 'announce-port', 'sentinel-user', 'sentinel-pass'];

/** SENTINEL CONFIG SET: Redis's error text, or null when applied. */
export function configSet(sentinel: Sentinel, name: string, value: string): string | null {
  const bad = `ERR Invalid value '${value}' to SENTINEL CONFIG SET '${name}'`;
  const yesno = value.toLowerCase() === 'yes' ? true : value.toLowerCase() === 'no' ? false : null;
  switch (name) {
    case 'resolve-hostnames':
      if (yesno === null) return bad;
      sentinel.resolveHostnames = yesno;
      return null;
    case 'announce-hostnames':
      if (yesno === null) return bad;
      sentinel.announceHostnames = yesno;
      return null;
    case 'announce-ip':
      sentinel.announceIp = value.length ? value : null;
      return null;
    case 'announce-port': {
      const port = toInt(value);
      if (port === null || port < 0 || port > 65535) return bad;
      sentinel.announcePort = port;
      return null;
    }
    case 'sentinel-user':
      sentinel.sentinelUser = value.length ? value : null;
      return null;
    case 'sentinel-pass':
      sentinel.sentinelPass = value.length ? value : null;
      return null;
    default:
      return `ERR Invalid argument '${name}' to SENTINEL CONFIG SET`;
  }
}

/** sentinelSetCommand's options: the error text for a bad value, or null when applied. */
export function setOption(sentinel: Sentinel, ri: Instance, option: string, values: string[]): string | null | 'unknown' {
  const invalid = (value: string) => `ERR Invalid argument '${value}' for SENTINEL SET '${option}'`;
  const value = values[0]!;
  const positive = () => {
    const n = toInt(value);
    return n !== null && n > 0 ? n : null;
  };
  switch (option) {
    case 'down-after-milliseconds': {
      const n = positive();
      if (n === null) return invalid(value);
      sentinel.setDownAfter(ri, n);
      return null;
    }
    case 'failover-timeout': {
      const n = positive();
      if (n === null) return invalid(value);
      ri.failoverTimeout = n;
      return null;
    }
    case 'parallel-syncs': {
      const n = positive();
      if (n === null) return invalid(value);
      ri.parallelSyncs = n;
      return null;
    }
    case 'quorum': {
      const n = positive();
      if (n === null) return invalid(value);
      ri.quorum = n;
      return null;
    }
    case 'master-reboot-down-after-period': {
      const n = toInt(value);
      if (n === null || n < 0) return invalid(value);
      ri.masterRebootDownAfterPeriod = n;
      return null;
    }
    case 'notification-script':
    case 'client-reconfig-script': {
      if (sentinel.denyScriptsReconfig) {
        return 'ERR Reconfiguration of scripts path is denied for security reasons. Check the deny-scripts-reconfig configuration directive in your Sentinel configuration';
      }
      if (value.length && !executable(value)) {
        return option === 'notification-script'
          ? 'ERR Notification script seems non existing or non executable'
          : 'ERR Client reconfiguration script seems non existing or non executable';
      }
      if (option === 'notification-script') ri.notificationScript = value.length ? value : null;
      else ri.clientReconfigScript = value.length ? value : null;
      return null;
    }
    case 'auth-pass':
      ri.authPass = value.length ? value : null;
      return null;
    case 'auth-user':
      ri.authUser = value.length ? value : null;
      return null;
    default:
      return 'unknown';
  }
}
