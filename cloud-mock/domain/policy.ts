/**
 * The cloud's side of the Smart Licensing timers: what it stamps into its answers. Values from real
 * captures (smart-licensing.md §2.3, §3.1); a lab may override any of them (e.g. to test short renewals).
 */
import { DAY, HOUR, MINUTE } from '#protocol';

export interface CloudPolicy {
  /** `Next Communication Attempt` after an AUTHORIZED answer: last success + 30 days. */
  authRenewalMs: number;
  /** `Communication Deadline`: authorization + 90 days, stamped with the same backdate as the certificate. */
  authValidityMs: number;
  /** `Next Communication Attempt` while OUT OF COMPLIANCE: +12 hours in two captures (not "daily"). */
  outOfComplianceRenewalMs: number;
  /** `Next Renewal Attempt` of the ID certificate: registration + 180 days. */
  idRenewalMs: number;
  /** Backdate of notBefore and of the communication deadline: captures show 4–5 minutes (clock-skew allowance). */
  backdateMs: number;
  /** Signed device requests whose timestamp is further than this from the cloud clock are refused (CLOCK_SKEW). */
  maxClockSkewMs: number;
  /** Registration tokens: 1–365 days, default 30 (portal "Expire After"). */
  tokenDefaultDays: number;
  tokenMaxDays: number;
  /** DEMO licenses last at most 60 days. */
  demoMaxDays: number;
  /** OAuth2 `expires_in` of access tokens: 3599 s at cloudsso.cisco.com (cssm-api.md §1.2). */
  accessTokenSeconds: number;
  /** Refresh tokens of the password grant (not published by Cisco; 1 day here). */
  refreshTokenSeconds: number;
  /** scrypt N for passwords and client secrets (2^14 ≈ 50 ms here; tests lower it). */
  secretHashCost: number;
}

export const defaultPolicy: CloudPolicy = {
  authRenewalMs: 30 * DAY,
  authValidityMs: 90 * DAY,
  outOfComplianceRenewalMs: 12 * HOUR,
  idRenewalMs: 180 * DAY,
  backdateMs: 5 * MINUTE,
  maxClockSkewMs: 24 * HOUR,
  tokenDefaultDays: 30,
  tokenMaxDays: 365,
  demoMaxDays: 60,
  accessTokenSeconds: 3599,
  refreshTokenSeconds: 86_400,
  secretHashCost: 2 ** 14,
};
