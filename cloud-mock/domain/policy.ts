/**
 * The cloud's side of the Smart Licensing timers: how long what it signs stays valid. On real devices the
 * cloud owns validity (the ID certificate's notAfter, the authorization's Communication Deadline, both
 * backdated a few minutes like CSSM stamps them) and the device owns cadence (renew authorization every
 * 30 days or 12 hours, the ID certificate every 180 days: devices/licensing/smart-timers.ts), so the cloud
 * sends no renewal times. Values from real captures (smart-licensing.md §2.3, §3.1); a lab may override
 * any of them (createLab({ cloud: { policy } })), e.g. a 10-day authorization to reach expiry sooner.
 */
import { DAY, HOUR } from '#protocol';
import { ID_CERT_BACKDATE_MS, ID_CERT_LIFETIME_MS } from '../ca/index.ts';

export interface CloudPolicy {
  /** `Communication Deadline`: authorization + 90 days, stamped with the same backdate as the certificate. */
  authValidityMs: number;
  /** `Registration Expires`: the ID certificate's lifetime from its notBefore, one year. */
  idCertificateValidityMs: number;
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
  /**
   * Traditional licensing: the usage period of the portal's evaluation, extension and rehost grace
   * licenses, 60 days (reference README, choices table; seeds 000 and 001).
   */
  temporaryLicenseDays: number;
  /** scrypt N for passwords and client secrets (2^14 ≈ 50 ms here; tests lower it). */
  secretHashCost: number;
  /**
   * SLP: how long after an upload or authorization request its result is ready to poll (until then a poll
   * answers OK_POLL). Cisco publishes none; 0 answers the first poll, a lab sets more to exercise OK_POLL.
   */
  slpResultDelayMs: number;
}

export const defaultPolicy: CloudPolicy = {
  authValidityMs: 90 * DAY,
  idCertificateValidityMs: ID_CERT_LIFETIME_MS,
  backdateMs: ID_CERT_BACKDATE_MS,
  maxClockSkewMs: 24 * HOUR,
  tokenDefaultDays: 30,
  tokenMaxDays: 365,
  demoMaxDays: 60,
  accessTokenSeconds: 3599,
  refreshTokenSeconds: 86_400,
  secretHashCost: 2 ** 14,
  temporaryLicenseDays: 60,
  slpResultDelayMs: 0,
};
