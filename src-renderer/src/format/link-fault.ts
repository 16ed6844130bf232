// A link's fault in words, as the link list, the node's role and the topology diagram print it.
import type { LinkFault } from '@api/links.js';

export function faultText(fault: LinkFault): string {
  switch (fault.kind) {
    case 'none':
      return 'no fault';
    case 'cut':
      return 'cut';
    case 'stall':
      return 'stalled';
    case 'slow':
      return `slow: ${fault.bandwidthKBps > 0 ? `${fault.bandwidthKBps} KB/s` : 'no bandwidth limit'}, +${fault.delayMs} ms`;
  }
}
