/** The parts of net-snmp 3.29 (CommonJS, no types) the lab's trap sender and collector use, typed here. */
import { createRequire } from 'node:module';
import type { Socket, SocketType } from 'node:dgram';

export interface NetSnmpUser {
  name: string;
  level: number;
  authProtocol?: number;
  authKey?: string;
  privProtocol?: number;
  privKey?: string;
}

export interface NetSnmpVarbind {
  oid: string;
  type: number;
  value: unknown;
}

export type NetSnmpCallback = (error: Error | null) => void;

export interface NetSnmpSession {
  trap(oid: string, varbinds: NetSnmpVarbind[], options: { upTime: number }, callback: NetSnmpCallback): void;
  inform(oid: string, varbinds: NetSnmpVarbind[], options: { upTime: number }, callback: NetSnmpCallback): void;
  /** net-snmp emits 'error' for an unreadable reply and throws when nobody listens. */
  on(event: 'error', listener: (error: Error) => void): void;
  close(): void;
}

export interface NetSnmpSessionOptions {
  port: number;
  trapPort: number;
  version?: number;
  retries: number;
  timeout: number;
  engineID?: string;
  dgramModule?: { createSocket(type: SocketType): Socket };
}

export interface NetSnmpNotification {
  pdu: { type: number; id: number; varbinds: NetSnmpVarbind[]; community?: string; user?: string };
  rinfo: { address: string; port: number };
}

export interface NetSnmpReceiver {
  getAuthorizer(): { addCommunity(community: string): void; addUser(user: NetSnmpUser): void };
  close(callback?: () => void): void;
}

export interface NetSnmpReceiverOptions {
  port: number;
  address: string;
  includeAuthentication: boolean;
  disableAuthorization: boolean;
  engineID?: string;
  dgramModule: { createSocket(type: SocketType): Socket };
}

export interface NetSnmp {
  createSession(target: string, community: string, options: NetSnmpSessionOptions): NetSnmpSession;
  createV3Session(target: string, user: NetSnmpUser, options: NetSnmpSessionOptions): NetSnmpSession;
  createReceiver(
    options: NetSnmpReceiverOptions,
    callback: (error: Error | null, notification: NetSnmpNotification | null) => void,
  ): NetSnmpReceiver;
  Version2c: number;
  Version3: number;
  ObjectType: Record<'Integer' | 'OctetString' | 'OID' | 'IpAddress' | 'Gauge' | 'TimeTicks', number>;
  PduType: Record<'TrapV2' | 'InformRequest', number>;
  SecurityLevel: Record<'noAuthNoPriv' | 'authNoPriv' | 'authPriv', number>;
  AuthProtocols: Record<'sha' | 'md5', number>;
  PrivProtocols: Record<'aes' | 'des', number>;
}

export const netSnmp = createRequire(import.meta.url)('net-snmp') as NetSnmp;
