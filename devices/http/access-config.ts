/**
 * Who may reach the device's HTTP server, IOS style: `ip http server`, `ip http authentication
 * local|enable`, and the local users `username <name> [privilege <0-15>] secret|password <text>`. The
 * on-box REST API (`/smartlic-service`, smart-licensing.md §10.4) answers a CSLU in pull mode only with
 * the server on, local authentication, and a privilege-15 user (Cisco's CSLU pull-mode setup). Plain JSON,
 * in the running config; absent: the server off, no users.
 */
export interface LocalUser {
  name: string;
  /** 1 unless given (IOS's default for `username`); the REST API wants 15. */
  privilege: number;
  /** Kept as typed: the lab does not hash it (a real device stores `secret` as a hash). */
  secret: string;
}

export interface AccessConfig {
  httpServer: boolean;
  /** `ip http authentication`: IOS's default is `enable` (the enable password), which the lab has none of. */
  httpAuthentication: 'enable' | 'local';
  users: LocalUser[];
}

export const DEFAULT_ACCESS: AccessConfig = { httpServer: false, httpAuthentication: 'enable', users: [] };

/** The privilege level the on-box REST API requires. */
export const REST_PRIVILEGE = 15;
