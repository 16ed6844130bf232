// Whether `bind` addresses can be listened on, asked before CONFIG SET bind is accepted. Redis's
// changeBindAddr binds synchronously and answers CONFIG SET with an error when it cannot; Node only
// binds asynchronously, so the question is answered from this machine's own addresses instead: an
// address that is none of them (EADDRNOTAVAIL, the usual failure) is refused with Redis's error,
// and the rare later failure (the port taken on that address) is handled by Server.rebind.
import { networkInterfaces } from 'node:os';

/** Addresses that mean every interface, or name this machine whatever its interfaces. */
const ALWAYS_BINDABLE = new Set(['*', '::*', '0.0.0.0', '::', 'localhost']);

/** Redis's error text when some address cannot be bound, or null. Optional ("-") addresses never fail. */
export function unbindableAddresses(addresses: readonly string[]): string | null {
  const local = new Set(
    Object.values(networkInterfaces())
      .flat()
      .map((entry) => entry?.address),
  );
  for (const spec of addresses) {
    if (spec.startsWith('-') || ALWAYS_BINDABLE.has(spec)) continue;
    const plain = spec.replace(/%.*$/, ''); // an IPv6 zone (fe80::1%eth0) is not part of the address
    if (!local.has(plain) && !/^127\./.test(plain)) return 'Failed to bind to specified addresses.';
  }
  return null;
}
