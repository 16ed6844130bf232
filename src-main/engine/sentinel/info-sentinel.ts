// INFO's "# Sentinel" section (sentinel.c's sentinelInfoCommand part): the global state, then
// one line per monitored master with its status and what was discovered around it.
import type { InfoFields } from '../core/info.js';
import type { Sentinel } from './sentinel.js';

export function sentinelInfoFields(sentinel: Sentinel): InfoFields {
  const fields: InfoFields = [
    ['sentinel_masters', sentinel.masters.size],
    ['sentinel_tilt', sentinel.tilt ? 1 : 0],
    ['sentinel_tilt_since_seconds', sentinel.tilt ? Math.floor((Date.now() - sentinel.tiltStartTime) / 1000) : -1],
    ['sentinel_running_scripts', 0],
    ['sentinel_scripts_queue_length', 0],
    ['sentinel_simulate_failure_flags', (sentinel.simulated.crashAfterElection ? 1 : 0) | (sentinel.simulated.crashAfterPromotion ? 2 : 0)],
  ];
  let index = 0;
  for (const master of sentinel.masters.values()) {
    const status = master.odown ? 'odown' : master.sdown ? 'sdown' : 'ok';
    const addr = sentinel.currentMasterAddress(master);
    fields.push([
      `master${index++}`,
      `name=${master.name},status=${status},address=${sentinel.announce(addr)}:${addr.port},slaves=${master.slaves.size},sentinels=${master.sentinels.size + 1}`,
    ]);
  }
  return fields;
}
