// Discovery of the other Sentinels (sentinel.c's hello messages). Every 2 s each Sentinel
// publishes on `__sentinel__:hello`, through every master and replica it monitors (and to the
// other Sentinels directly), the message
//   <ip>,<port>,<runid>,<current epoch>,<master name>,<master ip>,<master port>,<config epoch>
// and every Sentinel reads that channel on its pub/sub links: a new Sentinel is added to the
// master's list, a greater current epoch is adopted, and a newer configuration of the master
// (greater config epoch at another address) switches the master, which is how the Sentinels
// that did not lead a failover learn its result.
import type { Reply } from '../protocol/reply-parser.js';
import { ReplyError } from '../protocol/reply-parser.js';
import { HELLO_CHANNEL } from './constants.js';
import { sameHost, type Instance } from './instance.js';
import { Sentinel } from './sentinel.js';

/** sentinelSendHello: publishes our hello through `ri`; false when it could not be sent. */
export function sendHello(sentinel: Sentinel, ri: Instance): boolean {
  const link = ri.link!;
  if (link.disconnected || !link.cc) return false;
  const master = ri.kind === 'master' ? ri : ri.master!;
  const masterAddr = sentinel.currentMasterAddress(master);
  const ip = sentinel.announceIp ?? link.cc.localAddress;
  if (!ip) return false;
  const port = sentinel.announcePort || sentinel.server.port;
  const payload =
    `${ip},${port},${sentinel.myid},${sentinel.currentEpoch},` +
    `${master.name},${sentinel.announce(masterAddr)},${masterAddr.port},${master.configEpoch}`;
  link.cc.send([sentinel.mapCommand(ri, 'PUBLISH'), HELLO_CHANNEL, payload], (reply) => {
    if (!(reply instanceof ReplyError)) ri.lastPubTime = Date.now();
  });
  return true;
}

/** sentinelForceHelloUpdateForMaster: every instance of the master sends a hello at the next tick. */
export function forceHelloUpdate(sentinel: Sentinel, master: Instance): void {
  const past = Date.now() - (sentinel.timers.publishPeriod + 1);
  for (const ri of [master, ...master.slaves.values(), ...master.sentinels.values()]) ri.lastPubTime = past;
}

/** sentinelReceiveHelloMessages: a message on a pub/sub link. */
export function receiveHello(sentinel: Sentinel, _ri: Instance, message: Reply): void {
  if (!Array.isArray(message) || message.length !== 3 || message[0] !== 'message') return;
  const payload = message[2];
  if (typeof payload !== 'string') return;
  // Our own hellos come back to us: skip them.
  if (payload.includes(sentinel.myid)) return;
  processHello(sentinel, payload);
}

/** sentinelProcessHelloMessage. */
export function processHello(sentinel: Sentinel, hello: string): void {
  const token = hello.split(',');
  if (token.length !== 8) return;
  const master = sentinel.masters.get(token[4]!);
  if (!master) return;
  const [ip, portText, runid, epochText, , masterIp, masterPortText, configEpochText] = token as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const port = Number.parseInt(portText, 10) || 0;
  const masterPort = Number.parseInt(masterPortText, 10) || 0;
  const currentEpoch = Number(epochText) || 0;
  const masterConfigEpoch = Number(configEpochText) || 0;
  let si = Sentinel.findByAddrAndRunid(master.sentinels, ip, port, runid);
  if (!si) {
    // A Sentinel we know by run id at another address moved: forget the old address.
    let removed = 0;
    for (const [name, peer] of master.sentinels) {
      if (peer.runid === runid) {
        sentinel.releaseInstance(peer);
        master.sentinels.delete(name);
        removed++;
      }
    }
    if (removed) {
      sentinel.event('notice', '+sentinel-address-switch', master, `%@ ip ${ip} port ${port} for ${runid}`);
    } else {
      // Another Sentinel claims this address: its port is invalid until its next hello.
      const other = Sentinel.findByAddrAndRunid(master.sentinels, ip, port, null);
      if (other) {
        sentinel.event('notice', '+sentinel-invalid-addr', other, '%@');
        other.addr.port = 0;
      }
    }
    const created = sentinel.createSentinelPeer(master, runid, ip, port);
    if (typeof created !== 'string') {
      si = created;
      if (!removed) sentinel.event('notice', '+sentinel', si, '%@');
      si.runid = runid;
      sentinel.flushConfig();
    }
  }
  if (currentEpoch > sentinel.currentEpoch) {
    sentinel.currentEpoch = currentEpoch;
    sentinel.flushConfig();
    sentinel.event('warning', '+new-epoch', master, String(sentinel.currentEpoch));
  }
  if (si && master.configEpoch < masterConfigEpoch) {
    master.configEpoch = masterConfigEpoch;
    if (masterPort !== master.addr.port || !sameHost(master.addr, masterIp)) {
      sentinel.event('warning', '+config-update-from', si, '%@');
      sentinel.event(
        'warning',
        '+switch-master',
        master,
        `${master.name} ${sentinel.announce(master.addr)} ${master.addr.port} ${masterIp} ${masterPort}`,
      );
      const from = { ...master.addr };
      sentinel.resetMasterAndChangeAddress(master, masterIp, masterPort);
      sentinel.callClientReconfScript(master, 'observer', from, master.addr);
    }
  }
  if (si) si.lastHelloTime = Date.now();
}
