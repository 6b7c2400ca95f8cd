/** What every domain function is given: the lab clock, the CA and license key, the cloud policy and who is acting. */
import type { Clock } from '#protocol';
import type { LicenseSigningKey, MockCa } from '../ca/index.ts';
import type { CloudPolicy } from './policy.ts';

export interface DomainContext {
  clock: Clock;
  ca: MockCa;
  licenseKey: LicenseSigningKey;
  policy: CloudPolicy;
  /** Written into the event log: `lab`, `device:PID:…,SN:…`, later `user:<name>`. */
  actor: string;
}
