// Protected mode (networking.c clientAcceptHandler): with `protected-mode yes` and a default user
// that needs no password, a node serves only clients on the loopback interface; any other gets
// this explanation and is disconnected, so a node started without a password is not open to the
// network by accident.

export const PROTECTED_MODE_DENIED =
  "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

/**
 * Whether a new connection from `remoteAddress` must be refused. Binding to a specific address
 * does not lift protected mode in Redis 7.0: only a password (or `protected-mode no`) does.
 */
export function refusedByProtectedMode(
  protectedMode: boolean,
  defaultUserHasNoPassword: boolean,
  remoteAddress: string | undefined,
): boolean {
  return protectedMode && defaultUserHasNoPassword && !isLoopback(remoteAddress);
}

/**
 * Redis 7.0's check is the client's address string: exactly 127.0.0.1 or ::1 (redis-server 7.0.15
 * refuses 127.0.0.2), here also as IPv4-mapped IPv6, which is how a dual-stack socket reports it.
 */
export function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}
