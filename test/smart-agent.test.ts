/**
 * The Smart Licensing agent in virtual time, against the real cloud in process: every state, every timer
 * of the timers table, every failure path, with the messages each transition logs. That the chart's every
 * state is reached is checked on its own (devices/licensing/smart.machine.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VirtualDevice } from '#devices';
import { udiString, DAY, HOUR, MINUTE } from '#protocol';
import { EAST_TOKEN, LAB_DOMAIN, SHORT_TOKEN, openDeviceLab } from './support/device-lab.ts';
import type { LocalLab } from '#lab';

let lab: LocalLab;

beforeEach(async () => {
  lab = await openDeviceLab();
});
afterEach(async () => {
  await lab.close();
});

const mnemonics = (d: VirtualDevice): string[] => d.events().map((e) => e.syslog.mnemonic);
const count = (d: VirtualDevice, m: string): number => mnemonics(d).filter((x) => x === m).length;
const lastLine = (d: VirtualDevice, m: string): string | undefined =>
  d
    .events()
    .filter((e) => e.syslog.mnemonic === m)
    .at(-1)?.line;
const outage = () => lab.cloud.faults.add({ path: '/licservice/license/*', status: 503 });

async function registered(token = EAST_TOKEN): Promise<VirtualDevice> {
  const d = lab.device();
  d.exec(`license smart register idtoken ${token}`);
  await lab.clock.advance(MINUTE);
  return d;
}

describe('boot and evaluation', () => {
  it('boots into EVAL MODE with 90 days and logs the agent start in order', () => {
    const d = lab.device();
    expect(mnemonics(d)).toEqual(['AGENT_READY', 'AGENT_ENABLED', 'EXPORT_CONTROLLED', 'EVAL_START']);
    expect(d.smart()).toMatchObject({
      enabled: true,
      registration: { status: 'unregistered' },
      authorization: { status: 'eval', evaluationRemainingMs: 90 * DAY },
    });
    expect(d.smart().entitlements.map((e) => [e.feature, e.enforceMode])).toEqual([
      ['network-advantage', 'evaluationPeriod'],
      ['dna-advantage', 'evaluationPeriod'],
    ]);
    expect(d.exec('show license status')).toContain(
      '  Status: EVAL MODE\n  Evaluation Period Remaining: 90 days, 0 hours, 0 minutes, 0 seconds\n',
    );
  });

  it('warns at 60/30/21/14/7 days, daily in the last week, hourly on the last day, then expires and reminds hourly', async () => {
    const d = lab.device();
    await lab.clock.advance(30 * DAY);
    expect(lastLine(d, 'EVAL_WILL_EXPIRE_WARNING')).toMatch(
      /%SMART_LIC-3-EVAL_WILL_EXPIRE_WARNING: Evaluation period will expire in 60 days\.$/,
    );
    await lab.clock.advance(59 * DAY);
    // 60, 30, 21, 14, 7, 6, 5, 4, 3, 2, 1 days.
    expect(count(d, 'EVAL_WILL_EXPIRE_WARNING')).toBe(11);
    await lab.clock.advance(DAY - 1);
    expect(count(d, 'EVAL_WILL_EXPIRE_WARNING')).toBe(11 + 23);
    expect(lastLine(d, 'EVAL_WILL_EXPIRE_WARNING')).toMatch(/will expire in 1 hours\.$/);
    expect(count(d, 'EVAL_EXPIRED')).toBe(0);
    await lab.clock.advance(1);
    expect(count(d, 'EVAL_EXPIRED')).toBe(1);
    expect(d.smart().authorization).toMatchObject({ status: 'evalExpired', evaluationRemainingMs: 0 });
    expect(d.smart().entitlements[0]!.enforceMode).toBe('evaluationExpired');
    await lab.clock.advance(3 * HOUR);
    expect(count(d, 'EVAL_EXPIRED_WARNING')).toBe(3);
    expect(lastLine(d, 'EVAL_EXPIRED_WARNING')).toContain('Evaluation period expired on Jun 11 08:09:24 2026 UTC.');
  });

  it('counts evaluation only while in EVAL MODE: registered time and reloads give nothing back and take nothing', async () => {
    const d = lab.device({ reloadMs: 3 * MINUTE });
    await lab.clock.advance(10 * DAY);
    d.exec('reload');
    expect(d.state).toBe('reloading');
    await lab.clock.advance(3 * MINUTE);
    expect(d.state).toBe('running');
    expect(d.smart().authorization.evaluationRemainingMs).toBe(80 * DAY);
    d.exec(`license smart register idtoken ${EAST_TOKEN}`);
    await lab.clock.advance(20 * DAY);
    d.exec('license smart deregister');
    await lab.clock.advance(DAY);
    expect(d.smart()).toMatchObject({ registration: { status: 'unregistered' }, authorization: { status: 'eval' } });
    expect(d.smart().authorization.evaluationRemainingMs).toBe(79 * DAY);
  });

  it('runs no evaluation while no licence is in use, and starts it when a licensed level boots', async () => {
    const d = lab.device({ pid: 'ISR4331/K9' });
    expect(d.view().bootLevel.current).toBe('ipbasek9');
    expect(d.smart()).toMatchObject({
      authorization: { status: 'none', evaluationRemainingMs: 90 * DAY },
      entitlements: [],
    });
    expect(mnemonics(d)).not.toContain('EVAL_START');
    await lab.clock.advance(10 * DAY);
    d.exec('configure terminal');
    d.exec('license boot level appxk9');
    d.exec('end');
    d.exec('write memory');
    d.exec('reload');
    await lab.clock.advance(5 * MINUTE);
    expect(d.smart()).toMatchObject({
      authorization: { status: 'eval', evaluationRemainingMs: 90 * DAY - 2 * MINUTE },
    });
    expect(mnemonics(d)).toContain('EVAL_START');
  });

  it('an image without Smart Licensing runs no Smart agent: the traditional one, which logs only its boot level', () => {
    const traditional = lab.device({ pid: 'WS-C3750E-24TD-S' });
    expect(traditional.view().licensingMode).toBe('traditional');
    expect(traditional.agentState()?.mode).toBe('traditional');
    expect(traditional.smart()).toMatchObject({ enabled: false, authorization: { status: 'none' } });
    expect(mnemonics(traditional)).toEqual(['LICENSE_LEVEL']);
    expect(traditional.exec(`license smart register idtoken ${EAST_TOKEN}`)).toContain(
      "% Invalid input detected at '^' marker.",
    );
  });
});

describe('registration', () => {
  it('registers with an ID token, then authorizes at once: the timers of the captures', async () => {
    const d = lab.device();
    expect(d.exec(`license smart register idtoken ${EAST_TOKEN}`)).toBe(
      "Registration process is in progress. Use the 'show license status' command to check the progress and result\n",
    );
    await lab.clock.advance(MINUTE);
    const now = lab.clock.now() - MINUTE;
    const s = d.smart();
    expect(s.registration).toMatchObject({
      status: 'registered',
      smartAccount: 'Lab Corp',
      virtualAccount: 'east',
      exportControlled: true,
      initialRegistration: { ok: true, at: now },
      nextRenewalAttempt: now + 180 * DAY,
      registrationExpires: now - 5 * MINUTE + 365 * DAY,
    });
    expect(s.authorization).toMatchObject({
      status: 'authorized',
      since: now,
      lastCommunicationAttempt: { ok: true, at: now },
      nextCommunicationAttempt: now + 30 * DAY,
    });
    expect(s.authorization.communicationDeadline).toBe(now - 5 * MINUTE + 90 * DAY);
    expect(s.entitlements.map((e) => [e.description, e.enforceMode])).toEqual([
      ['C9300 Network Advantage', 'authorized'],
      ['C9300 DNA Advantage', 'authorized'],
    ]);
    expect(mnemonics(d).slice(4)).toEqual(['AGENT_REG_SUCCESS', 'AUTH_RENEW_SUCCESS', 'IN_COMPLIANCE']);
    expect(lastLine(d, 'AGENT_REG_SUCCESS')).toContain(
      'Registration with the Cisco Smart Software Manager or satellitefor udi PID:C9300-24P,SN:',
    );
    expect(await lab.cloud.instance(udiString(d.udi))).toMatchObject({ hostname: 'Switch' });
    const status = d.exec('show license status');
    expect(status).toContain(
      '  Status: REGISTERED\n  Smart Account: Lab Corp\n  Virtual Account: east\n  Export-Controlled Functionality: ALLOWED\n',
    );
    expect(status).toContain('License Authorization: \n  Status: AUTHORIZED on Mar 13 08:09:24 2026 UTC\n');
  });

  it('refuses a second registration without force, and re-registers with force', async () => {
    const d = await registered();
    const serial = d.smart().registration;
    expect(d.exec(`license smart register idtoken ${EAST_TOKEN}`)).toMatch(/^% Device is already registered/);
    expect(count(d, 'AGENT_ALREADY_REGISTER')).toBe(1);
    d.exec(`license smart register idtoken ${SHORT_TOKEN} force`);
    expect(d.smart().registration.status).toBe('inProgress');
    await lab.clock.advance(MINUTE);
    expect(d.smart().registration).toMatchObject({ status: 'registered', virtualAccount: 'short' });
    expect(d.smart().registration).not.toEqual(serial);
    expect(d.smart().authorization.status).toBe('outOfCompliance');
  });

  it('a refused token fails the registration with the reason and does not retry', async () => {
    const d = lab.device();
    d.exec('license smart register idtoken NOT-A-TOKEN');
    await lab.clock.advance(MINUTE);
    expect(d.smart().registration).toMatchObject({ status: 'failed', initialRegistration: { ok: false } });
    expect(d.smart().registration.initialRegistration!.reason).toBeTruthy();
    expect(lastLine(d, 'AGENT_REG_FAILED')).toContain(
      '%SMART_LIC-3-AGENT_REG_FAILED: Smart Agent for Licensing Registration with the Cisco Smart Software Manager (CSSM) failed: ',
    );
    expect(count(d, 'COMM_FAILED')).toBe(0);
    await lab.clock.advance(DAY);
    expect(count(d, 'AGENT_REG_FAILED')).toBe(1);
    expect(d.smart().authorization.status).toBe('eval');
  });

  it('retries every 15 minutes for 4 hours, then hourly, until the cloud answers', async () => {
    const fault = await outage();
    const d = lab.device();
    d.exec(`license smart register idtoken ${EAST_TOKEN}`);
    await lab.clock.advance(MINUTE);
    expect(d.smart().registration).toMatchObject({
      status: 'retrying',
      nextRegistrationAttempt: lab.clock.now() - MINUTE + 15 * MINUTE,
    });
    expect(lastLine(d, 'COMM_FAILED')).toContain(
      '%SMART_LIC-3-COMM_FAILED: Communications failure with the Cisco Smart Software Manager (CSSM) : ',
    );
    await lab.clock.advance(4 * HOUR - MINUTE);
    expect(count(d, 'AGENT_REG_FAILED')).toBe(17); // the first attempt + 16 retries in 4 hours
    await lab.clock.advance(3 * HOUR);
    expect(count(d, 'AGENT_REG_FAILED')).toBe(20);
    await lab.cloud.faults.remove(fault.id);
    await lab.clock.advance(HOUR);
    expect(d.smart().registration.status).toBe('registered');
    expect(count(d, 'COMM_RESTORED')).toBe(1);
    expect(d.exec('show license status')).toContain('Initial Registration: SUCCEEDED on');
  });

  it('a cloud that does not answer in time is a communication failure', async () => {
    await lab.cloud.faults.add({ path: '/licservice/license/*', delayMs: 10 * MINUTE });
    const d = lab.device();
    d.exec(`license smart register idtoken ${EAST_TOKEN}`);
    await lab.clock.advance(2 * MINUTE);
    expect(d.smart().registration.status).toBe('retrying');
    expect(lastLine(d, 'AGENT_REG_FAILED')).toContain('Communication message send error');
  });

  it('no license smart enable stops the agent; license smart enable starts it again', async () => {
    const fault = await outage();
    const d = lab.device();
    d.exec(`license smart register idtoken ${EAST_TOKEN}`);
    await lab.clock.advance(MINUTE);
    d.exec('configure terminal');
    d.exec('no license smart enable');
    expect(d.smart().enabled).toBe(false);
    expect(count(d, 'DISABLED')).toBe(1);
    const failures = count(d, 'AGENT_REG_FAILED');
    await lab.clock.advance(DAY);
    expect(count(d, 'AGENT_REG_FAILED')).toBe(failures);
    await lab.cloud.faults.remove(fault.id);
    d.exec('license smart enable');
    d.exec('end');
    expect(d.smart()).toMatchObject({ enabled: true, registration: { status: 'unregistered' } });
  });
});

describe('authorization', () => {
  it('stays AUTHORIZATION PENDING while the first request fails, retrying with back-off', async () => {
    await lab.cloud.faults.add({ path: '/licservice/license/authorization', status: 503 });
    const d = await registered();
    expect(d.smart()).toMatchObject({
      registration: { status: 'registered' },
      authorization: { status: 'pending', lastCommunicationAttempt: { ok: false } },
    });
    expect(d.smart().entitlements.map((e) => e.enforceMode)).toEqual(['waiting', 'waiting']);
    expect(d.exec('show license status')).toContain('  Status: AUTHORIZATION PENDING\n');
    await lab.clock.advance(45 * MINUTE);
    expect(count(d, 'AUTH_RENEW_FAILED')).toBe(3);
  });

  it('renews every 30 days while AUTHORIZED', async () => {
    const d = await registered();
    await lab.clock.advance(30 * DAY);
    expect(count(d, 'AUTH_RENEW_SUCCESS')).toBe(2);
    expect(d.smart().authorization.nextCommunicationAttempt).toBe(lab.clock.now() - MINUTE + 30 * DAY);
    await lab.clock.advance(60 * DAY);
    expect(count(d, 'AUTH_RENEW_SUCCESS')).toBe(4);
  });

  it('is OUT OF COMPLIANCE when the virtual account lacks licences, re-checks every 12 hours and recovers', async () => {
    const d = await registered(SHORT_TOKEN);
    expect(d.smart().authorization.status).toBe('outOfCompliance');
    expect(d.smart().entitlements.map((e) => e.enforceMode)).toEqual(['outOfCompliance', 'outOfCompliance']);
    expect(d.smart().authorization.nextCommunicationAttempt).toBe(lab.clock.now() - MINUTE + 12 * HOUR);
    expect(d.exec('show license status')).toContain('  Status: OUT OF COMPLIANCE on ');
    expect(count(d, 'OUT_OF_COMPLIANCE')).toBe(1);
    await lab.clock.advance(2 * DAY);
    expect(count(d, 'OUT_OF_COMPLIANCE')).toBe(1);
    for (const e of d.smart().entitlements)
      await lab.cloud.depositLicenses({ account: LAB_DOMAIN, virtualAccount: 'short', tag: e.tag, quantity: 5 });
    await lab.clock.advance(12 * HOUR);
    expect(d.smart().authorization.status).toBe('authorized');
    expect(count(d, 'IN_COMPLIANCE')).toBe(1);
  });

  it('renewal failures back off, AUTHORIZATION EXPIRED at the deadline with features still running, restored after', async () => {
    const d = await registered();
    const deadline = d.smart().authorization.communicationDeadline!;
    const fault = await outage();
    await lab.clock.advance(30 * DAY);
    expect(count(d, 'AUTH_RENEW_FAILED')).toBe(1);
    expect(d.smart().authorization).toMatchObject({ status: 'authorized', lastCommunicationAttempt: { ok: false } });
    expect(d.smart().authorization.nextCommunicationAttempt).toBe(lab.clock.now() - MINUTE + 15 * MINUTE);
    await lab.clock.advance(HOUR);
    expect(count(d, 'AUTH_RENEW_FAILED')).toBe(3); // +15 min, +30 min
    await lab.clock.advanceTo(deadline - 1);
    expect(d.smart().authorization.status).toBe('authorized');
    await lab.clock.advance(1);
    expect(d.smart().authorization.status).toBe('authorizationExpired');
    expect(count(d, 'AUTHORIZATION_EXPIRED')).toBe(1);
    expect(d.smart().entitlements[0]!.enforceMode).toBe('authorizationExpired');
    // Once a day at most after the back-off, with a COMM_FAILED each time (FN72323).
    const before = count(d, 'COMM_FAILED');
    await lab.clock.advance(10 * DAY);
    expect(count(d, 'COMM_FAILED') - before).toBeGreaterThanOrEqual(10);
    expect(count(d, 'COMM_FAILED') - before).toBeLessThanOrEqual(11);
    await lab.cloud.faults.remove(fault.id);
    d.exec('license smart renew auth');
    await lab.clock.advance(MINUTE);
    expect(d.smart().authorization.status).toBe('authorized');
    expect(mnemonics(d).slice(-3)).toEqual(['COMM_RESTORED', 'AUTH_RENEW_SUCCESS', 'IN_COMPLIANCE']);
  });

  it('asks for authorization again when the entitlements change after a reload', async () => {
    const d = await registered();
    d.exec('configure terminal');
    d.exec('license boot level network-essentials');
    d.exec('end');
    d.exec('write memory');
    d.exec('reload');
    await lab.clock.advance(5 * MINUTE);
    expect(d.view().bootLevel.current).toBe('network-essentials');
    expect(d.smart().entitlements.map((e) => e.feature)).toEqual(['network-essentials']);
    expect(d.smart().authorization.status).toBe('authorized');
  });

  it('a product instance removed in the cloud leaves the device unregistered at its next contact', async () => {
    const d = await registered();
    await lab.cloud.removeInstance(udiString(d.udi));
    d.exec('license smart renew auth');
    await lab.clock.advance(MINUTE);
    expect(d.smart().registration.status).toBe('unregistered');
    expect(d.smart().authorization.status).toBe('eval');
  });
});

describe('ID certificate', () => {
  it('renews at registration + 180 days with a new certificate', async () => {
    const d = await registered();
    const expires = d.smart().registration.registrationExpires!;
    await lab.clock.advance(180 * DAY);
    expect(count(d, 'ID_CERT_RENEW_SUCCESS')).toBe(1);
    expect(d.smart().registration.lastRenewalAttempt).toMatchObject({ ok: true });
    expect(d.smart().registration.registrationExpires).toBeGreaterThan(expires);
    expect(d.exec('license smart renew id')).toBe('');
    await lab.clock.advance(MINUTE);
    expect(count(d, 'ID_CERT_RENEW_SUCCESS')).toBe(2);
  });

  it('expires after 365 days without renewal: ID_CERT_EXPIRED and back to evaluation', async () => {
    const d = await registered();
    const expires = d.smart().registration.registrationExpires!;
    await outage();
    await lab.clock.advance(181 * DAY);
    expect(count(d, 'ID_CERT_RENEW_FAILED')).toBeGreaterThan(0);
    expect(d.smart().registration.lastRenewalAttempt).toMatchObject({ ok: false });
    await lab.clock.advanceTo(expires);
    expect(count(d, 'ID_CERT_EXPIRED')).toBe(1);
    expect(d.smart()).toMatchObject({
      registration: { status: 'unregistered' },
      authorization: { status: 'eval', evaluationRemainingMs: 90 * DAY },
    });
  });

  it('a clock set outside the certificate unregisters after 60 minutes unless it comes back', async () => {
    const d = await registered();
    d.exec('clock set 10:00:00 1 Jan 2030');
    expect(mnemonics(d).slice(-2)).toEqual(['SYSTEM_CLOCK_CHANGED', 'REG_EXPIRED_CLOCK_CHANGE']);
    expect(lastLine(d, 'REG_EXPIRED_CLOCK_CHANGE')).toContain('transition to the un-registered state in 60 minutes.');
    await lab.clock.advance(30 * MINUTE);
    d.exec('clock set 12:00:00 14 Mar 2026');
    await lab.clock.advance(HOUR);
    expect(d.smart().registration.status).toBe('registered');
    d.exec('clock set 10:00:00 1 Jan 2030');
    await lab.clock.advance(HOUR);
    expect(d.smart().registration.status).toBe('unregistered');
  });
});

describe('deregistration', () => {
  it('deregisters: the cloud forgets the instance, the device goes back to evaluation', async () => {
    const d = await registered();
    expect(d.exec('license smart deregister')).toBe('');
    await lab.clock.advance(MINUTE);
    expect(count(d, 'AGENT_DEREG_SUCCESS')).toBe(1);
    expect(d.smart()).toMatchObject({ registration: { status: 'unregistered' }, authorization: { status: 'eval' } });
    expect(await lab.cloud.instance(udiString(d.udi))).toBeUndefined();
    expect(d.exec('license smart deregister')).toMatch(/^% Device is not registered/);
  });

  it('deregisters locally when the cloud is unreachable, and says so', async () => {
    const d = await registered();
    await outage();
    d.exec('license smart deregister');
    await lab.clock.advance(MINUTE);
    expect(count(d, 'AGENT_DEREG_FAILED')).toBe(1);
    expect(d.smart().registration.status).toBe('unregistered');
  });
});

describe('output', () => {
  it('a sink that throws (here on AGENT_REG_FAILED) stops nothing: the agent retries on its cadence, reported once', async () => {
    await outage();
    const problems: string[] = [];
    const throwing = (e: { syslog: { mnemonic: string } }) => {
      if (e.syslog.mnemonic === 'AGENT_REG_FAILED') throw new Error('collector down');
    };
    const d = lab.device({ hostname: 'edge-1', sinks: [throwing], onProblem: (line) => problems.push(line) });
    d.exec(`license smart register idtoken ${EAST_TOKEN}`);
    await lab.clock.advance(MINUTE);
    expect(d.smart().registration.status).toBe('retrying');
    await lab.clock.advance(HOUR);
    expect(count(d, 'AGENT_REG_FAILED')).toBe(5);
    expect(count(d, 'COMM_FAILED')).toBe(5);
    expect(d.log.sinkFailures(throwing)).toBe(5);
    expect(problems).toEqual([
      '[edge-1] event sink throwing failed on AGENT_REG_FAILED (Error: collector down); later failures are only counted',
    ]);
  });
});
