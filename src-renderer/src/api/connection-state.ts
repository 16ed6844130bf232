// The renderer's view of its link to the lab host, independent of the transport that carries it.
export type ConnectionState =
  /** First attempt, nothing received yet. */
  | 'connecting'
  | 'connected'
  /** The link dropped (host restarted, network stack hiccup); the transport is retrying on its own. */
  | 'reconnecting';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Failed attempts since the link was last up; lets the UI suggest a cause when it keeps failing. */
  failedAttempts: number;
}

export type ConnectionListener = (status: ConnectionStatus) => void;
