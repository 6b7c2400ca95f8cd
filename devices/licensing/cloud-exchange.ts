/**
 * The agent's exchange with the cloud as an XState actor (the chart's `exchange`): it signs the request
 * the chart describes with the device's key, sends it through the SmartCloudClient (or a stand-in), and
 * sends the answer back as a `cloud.answered.<op>` event. An exchange that has not answered within its
 * lab-time timeout is a communication failure; one whose state was left in the meantime answers nothing.
 */
import type { Clock } from '#protocol';
import { boundedExchange } from './bounded-exchange.ts';
import type { SmartCloudClient } from './cloud-client/smart-cloud-client.ts';
import type { KeyRing } from './device-key.ts';
import type { CloudAnswer, ExchangeInput } from './smart-context.ts';
import type { SmartEvent } from './smart-events.ts';
import { TIMEOUT_REASON } from './smart-record.ts';

/** What the agent needs of the cloud: SmartCloudClient, or a stand-in (benchmarks' bare runs, unit tests). */
export type SmartCloud = Pick<SmartCloudClient, 'register' | 'authorize' | 'renewId' | 'deregister' | 'convert'>;

export interface ExchangeOptions {
  cloud: SmartCloud;
  clock: Clock;
  keys: KeyRing;
  /** Whether the lab clock waits for exchanges before it fires the next timer (clock.track). */
  tracked: boolean;
}

function failed(op: ExchangeInput['request']['op'], reason: string): CloudAnswer {
  return { type: `cloud.answered.${op}`, result: { ok: false, kind: 'comm', reason } };
}

async function ask(cloud: SmartCloud, input: ExchangeInput, keys: KeyRing): Promise<CloudAnswer> {
  const { request: r, udi, clockOffsetMs } = input;
  const { key } = keys.get(input.keyPem);
  switch (r.op) {
    case 'register': {
      const { idToken, force, hostname, softwareVersion } = r;
      const params = { udi, idToken, force, hostname, softwareVersion, key, clockOffsetMs };
      const result = await cloud.register({ ...params, publicKeySpkiB64: input.publicKeySpkiB64 });
      return { type: 'cloud.answered.register', result };
    }
    case 'authorize':
      return {
        type: 'cloud.answered.authorize',
        result: await cloud.authorize(
          { udi, key, certificateSerial: r.certificateSerial, clockOffsetMs },
          r.entitlements,
        ),
      };
    case 'renewId':
      return {
        type: 'cloud.answered.renewId',
        result: await cloud.renewId({ udi, key, certificateSerial: r.certificateSerial, clockOffsetMs }),
      };
    case 'deregister':
      return {
        type: 'cloud.answered.deregister',
        result: await cloud.deregister({ udi, key, certificateSerial: r.certificateSerial, clockOffsetMs }),
      };
    case 'convert':
      return {
        type: 'cloud.answered.convert',
        result: await cloud.convert({ udi, key, certificateSerial: r.certificateSerial, clockOffsetMs }, r.licenses),
      };
  }
}

export function cloudExchange({ cloud, clock, keys, tracked }: ExchangeOptions) {
  return boundedExchange<SmartEvent, ExchangeInput>(
    { clock, tracked },
    (input) => ask(cloud, input, keys),
    (input) => failed(input.request.op, TIMEOUT_REASON),
  );
}
