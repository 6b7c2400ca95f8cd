/**
 * A device's SNMP configuration, IOS style: `snmp-server enable traps license|smart-license`,
 * `snmp-server host <ip> [informs] [version 2c | 3 noauth|auth|priv] <community-or-user> [udp-port N]`,
 * `snmp-server community <name> RO|RW`, `snmp-server contact|location <text>`, `snmp-server user <name>
 * <group> v3 [auth sha|md5 <key> [priv aes 128|des <key>]]`. As on IOS, nothing is sent until a host is
 * configured and the notification type is enabled (traditional-licensing-snmp-platforms.md B.4). Plain JSON,
 * in the running config.
 */
import { CISCO_LICENSE_MGMT_MIB } from './license-mgmt-mib.ts';
import { CISCO_SMART_LIC_MIB } from './smart-lic-mib.ts';

export type TrapType = 'license' | 'smart-license';
export type SecurityLevel = 'noauth' | 'auth' | 'priv';

export interface SnmpHost {
  address: string;
  /** Default 162. */
  port: number;
  kind: 'traps' | 'informs';
  version: '2c' | '3';
  /** The community (2c) or user name (3). */
  securityName: string;
  /** SNMPv3 only. */
  level?: SecurityLevel;
}

export interface SnmpUser {
  name: string;
  group: string;
  auth?: { protocol: 'sha' | 'md5'; key: string };
  priv?: { protocol: 'aes' | 'des'; key: string };
}

export interface SnmpConfig {
  hosts: SnmpHost[];
  enabled: TrapType[];
  communities: { name: string; access: 'RO' | 'RW' }[];
  users: SnmpUser[];
  /** `snmp-server contact` / `snmp-server location`: sysContact.0 and sysLocation.0 (IOS answers '' unset). */
  contact?: string;
  location?: string;
}

export const DEFAULT_SNMP: Readonly<SnmpConfig> = Object.freeze({
  hosts: Object.freeze([]) as unknown as SnmpHost[],
  enabled: Object.freeze([]) as unknown as TrapType[],
  communities: Object.freeze([]) as unknown as SnmpConfig['communities'],
  users: Object.freeze([]) as unknown as SnmpUser[],
});

export const TRAP_TYPES: readonly TrapType[] = ['license', 'smart-license'];

/** Which `snmp-server enable traps` keyword a notification needs: its MIB module. */
export function trapTypeOf(trapOid: string): TrapType | undefined {
  if (trapOid.startsWith(`${CISCO_SMART_LIC_MIB}.`)) return 'smart-license';
  if (trapOid.startsWith(`${CISCO_LICENSE_MGMT_MIB}.`)) return 'license';
  return undefined;
}

/** The minimum key length net-snmp and IOS accept for SNMPv3 passphrases (RFC 3414 §11.2). */
const MIN_KEY = 8;

/** A topology's `snmp:` block; the error names what is wrong. */
export function checkSnmpConfig(value: {
  hosts?: {
    address: string;
    port?: number;
    informs?: boolean;
    version?: string;
    community?: string;
    user?: string;
    level?: string;
  }[];
  enable?: string[];
  communities?: string[];
  users?: { name: string; group?: string; auth?: string; authKey?: string; priv?: string; privKey?: string }[];
  contact?: string;
  location?: string;
}): SnmpConfig {
  const users = (value.users ?? []).map((u): SnmpUser => {
    const user: SnmpUser = { name: u.name, group: u.group ?? 'lab' };
    if (u.authKey !== undefined) {
      const protocol = u.auth ?? 'sha';
      if (protocol !== 'sha' && protocol !== 'md5')
        throw new Error(`snmp user ${u.name}: auth must be sha or md5, got "${protocol}"`);
      if (u.authKey.length < MIN_KEY)
        throw new Error(`snmp user ${u.name}: authKey needs ${MIN_KEY} characters at least`);
      user.auth = { protocol, key: u.authKey };
    }
    if (u.privKey !== undefined) {
      const protocol = u.priv ?? 'aes';
      if (protocol !== 'aes' && protocol !== 'des')
        throw new Error(`snmp user ${u.name}: priv must be aes or des, got "${protocol}"`);
      if (!user.auth) throw new Error(`snmp user ${u.name}: privacy needs authentication (authKey)`);
      if (u.privKey.length < MIN_KEY)
        throw new Error(`snmp user ${u.name}: privKey needs ${MIN_KEY} characters at least`);
      user.priv = { protocol, key: u.privKey };
    }
    return user;
  });
  const hosts = (value.hosts ?? []).map((h): SnmpHost => {
    const version = h.version ?? '2c';
    if (version !== '2c' && version !== '3')
      throw new Error(`snmp host ${h.address}: version must be 2c or 3, got "${version}"`);
    const port = h.port ?? 162;
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`snmp host ${h.address}: port must be from 1 to 65535`);
    const base = { address: h.address, port, kind: h.informs ? 'informs' : 'traps' } as const;
    if (version === '2c') return { ...base, version, securityName: h.community ?? 'public' };
    const user = users.find((u) => u.name === h.user);
    if (!user) throw new Error(`snmp host ${h.address}: version 3 needs a user from snmp.users, got "${h.user ?? ''}"`);
    const level = (h.level ?? (user.priv ? 'priv' : user.auth ? 'auth' : 'noauth')) as SecurityLevel;
    if (level !== 'noauth' && level !== 'auth' && level !== 'priv')
      throw new Error(`snmp host ${h.address}: level must be noauth, auth or priv, got "${h.level}"`);
    if ((level === 'priv' && !user.priv) || (level !== 'noauth' && !user.auth))
      throw new Error(`snmp host ${h.address}: user ${user.name} has no key for level ${level}`);
    return { ...base, version, securityName: user.name, level };
  });
  const enabled = (value.enable ?? []).map((t) => {
    if (!TRAP_TYPES.includes(t as TrapType))
      throw new Error(`snmp enable: unknown trap type "${t}"; valid: ${TRAP_TYPES.join(', ')}`);
    return t as TrapType;
  });
  return {
    hosts,
    enabled,
    communities: (value.communities ?? []).map((name) => ({ name, access: 'RO' })),
    users,
    ...(value.contact !== undefined ? { contact: value.contact } : {}),
    ...(value.location !== undefined ? { location: value.location } : {}),
  };
}
