import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, FILE_ELEMENTS, parseSlpFile, slpDevicePaths as paths, type Policy } from '#protocol';
import { storeKinds } from '#test-support/test-stores.ts';
import { openSlpCloud, SlpDevice, type SlpCloud } from './slp.test-support.ts';

const EAST = '/v1/accounts/example.com/virtual-accounts/east/slp/policy';
const { origin: _origin, ...defaults } = DEFAULT_POLICY;
const custom = {
  ...defaults,
  name: 'Lab customer policy',
  ack_required: false,
  unenforced_perpetual: { first_report: 30, reporting_frequency: 60, report_on_change: 30 },
};
const installed: Policy = { ...custom, origin: 'Customer Policy' };

describe.each(storeKinds)('SLP policy management routes on %s', (kind) => {
  let cloud: SlpCloud;
  let device: SlpDevice;

  /** The policy riding on the ACK of one fresh upload by the device (undefined when none). */
  async function policyOnNextAck(reportId: number): Promise<Policy | undefined> {
    const upload = await device.send(paths.reportUsage, device.usage([device.report({ reportId })]));
    const polled = await device.send(paths.poll, { poll_id: upload.body.poll_id, action: 'acknowledgements' });
    const [ack] = (polled.body.data as { acknowledgements: { smart_license: string }[] }).acknowledgements;
    return cloud.open(ack!.smart_license, 'RUM_ACK').policy;
  }

  beforeEach(async () => {
    cloud = await openSlpCloud(kind);
    device = new SlpDevice(cloud, 'FOC2201POL1');
    expect((await device.send(paths.trust, device.trustFields())).status).toBe(200);
  });
  afterEach(async () => {
    await cloud.close();
  });

  it('shows the Cisco default until a customer policy is set, then that one (and logs the change)', async () => {
    expect((await cloud.api('admin', 'GET', EAST)).body).toMatchObject({
      status: 'SUCCESS',
      virtualAccount: 'east',
      policy: DEFAULT_POLICY,
      setAt: null,
    });
    const set = await cloud.api('east', 'POST', EAST, { policy: custom });
    expect(set.status, set.text).toBe(200);
    expect(set.body.policy).toEqual(installed);
    expect((await cloud.api('admin', 'GET', EAST)).body).toMatchObject({
      policy: installed,
      setAt: expect.any(String),
    });
    const events = await cloud.opened.cloud.run('test', (tx) => tx.events({ limit: 100 }));
    expect(events.filter((e) => e.kind === 'slp.policy-set').map((e) => e.message)).toEqual([
      'SLP policy of east set to Lab customer policy',
    ]);
  });

  it('sends a set policy with the next ACK once, and a reset (the default) after it', async () => {
    expect(await policyOnNextAck(1_760_000_001)).toBeUndefined();
    await cloud.api('admin', 'POST', EAST, { policy: custom });
    expect(await policyOnNextAck(1_760_000_002)).toEqual(installed);
    expect(await policyOnNextAck(1_760_000_003)).toBeUndefined();
    const reset = await cloud.api('admin', 'POST', `${EAST}/reset`);
    expect(reset.body.policy).toEqual(DEFAULT_POLICY);
    expect(await policyOnNextAck(1_760_000_004)).toEqual(DEFAULT_POLICY);
  });

  it('downloads a POLICY file for the VA or for one instance', async () => {
    await cloud.api('admin', 'POST', EAST, { policy: custom });
    const forVa = await cloud.api('east', 'GET', `${EAST}/file`);
    expect(forVa.status, forVa.text).toBe(200);
    expect(forVa.body.fileName).toBe('policy_east.txt');
    const file = parseSlpFile(String(forVa.body.file));
    expect(file.ok && file.value.map((e) => e.element)).toEqual([FILE_ELEMENTS.POLICY]);
    const vaPayload = cloud.open(forVa.body.smartLicense, 'POLICY');
    expect(vaPayload).toEqual({ policy: installed, issued_at: cloud.opened.clock.now() });

    const forDevice = await cloud.api('east', 'GET', `${EAST}/file?udiPid=C9300-24T&udiSerialNumber=FOC2201POL1`);
    expect(cloud.open(forDevice.body.smartLicense, 'POLICY').sudi).toEqual(device.sudi);
    expect(forDevice.body.fileName).toBe('policy_PID_C9300-24T_SN_FOC2201POL1.txt');
  });

  it('changes nothing on a download: the policy still rides on the next ACK, and only on that one', async () => {
    await cloud.api('admin', 'POST', EAST, { policy: custom });
    const before = await cloud.opened.cloud.run('test', (tx) => tx.events({ limit: 100 }));
    // licenses.read is all the file route asks; downloading twice, per instance and for the VA, is still a read.
    for (const path of [`${EAST}/file?udiPid=C9300-24T&udiSerialNumber=FOC2201POL1`, `${EAST}/file`]) {
      const download = await cloud.api('east', 'GET', path);
      expect(download.status, download.text).toBe(200);
      expect(cloud.open(download.body.smartLicense, 'POLICY').policy).toEqual(installed);
    }
    expect(await cloud.opened.cloud.run('test', (tx) => tx.events({ limit: 100 }))).toEqual(before);
    expect(await policyOnNextAck(1_760_000_001)).toEqual(installed);
    expect(await policyOnNextAck(1_760_000_002)).toBeUndefined();
  });

  it('refuses bad bodies, half-named or unknown instances, and callers without a role on the VA', async () => {
    const missing = await cloud.api('admin', 'POST', EAST, { policy: { ...custom, enforced: undefined } });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ status: 'ERROR', error: { code: 'SCHEMA_VIOLATION' } });
    const withOrigin = await cloud.api('admin', 'POST', EAST, { policy: installed });
    expect(withOrigin.body).toMatchObject({ error: { code: 'SCHEMA_VIOLATION' } });
    const half = await cloud.api('admin', 'GET', `${EAST}/file?udiPid=C9300-24T`);
    expect(half.body).toMatchObject({ error: { code: 'INVALID_VALUE' } });
    const unknown = await cloud.api('admin', 'GET', `${EAST}/file?udiPid=C9300-24T&udiSerialNumber=NOPE1`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'INSTANCE_NOT_FOUND' } });
    const elsewhere = await cloud.api('east', 'POST', EAST.replace('/east/', '/DEFAULT/'), { policy: custom });
    expect(elsewhere.status).toBe(403);
    const stranger = await cloud.api('other', 'GET', EAST);
    expect(stranger.body).toMatchObject({ error: { code: 'ACCESS_DENIED' } });
    expect((await cloud.api('admin', 'GET', EAST)).body.policy).toEqual(DEFAULT_POLICY);
  });
});
