// An external node's RunningNode: a Redis server the user attached by address. The lab reads its
// INFO over a client connection to the address the user gave (with AUTH first when a password was
// given), and never stops or crashes it: those calls are refused, so no code path can reach them.
import { messageOf } from '../../error-message.js';
import { addressText, type NodeAddress } from '../node-address.js';
import type { RunningNode } from '../node-backend.js';
import { queryNodeText } from '../node-command.js';

/**
 * `onReach` hears whether each INFO was answered: null when it was, the reason when not (refused,
 * timed out, a wrong password), so the lab shows "unreachable" instead of an old sample.
 */
export function externalRunningNode(address: NodeAddress, onReach: (problem: string | null) => void): RunningNode {
  const refuse = (what: string): Promise<void> =>
    Promise.reject(new Error(`${addressText(address)} is an external node: the lab never ${what} it`));
  return {
    port: address.port,
    async info(section?: string): Promise<string> {
      try {
        const text = await queryNodeText(address, section ? ['INFO', section] : ['INFO']);
        onReach(null);
        return text;
      } catch (error) {
        onReach(messageOf(error));
        throw error;
      }
    },
    stop: () => refuse('stops'),
    crash: () => refuse('crashes'),
  };
}
