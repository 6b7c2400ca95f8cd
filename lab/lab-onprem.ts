/**
 * The lab's own SSM On-Prem (`createLab({ onprem })`): the On-Prem stand-in in this process on the lab clock,
 * with its own licensing server (a cloud on its own store and seed) and a relay per virtual account that
 * reports to the lab's cloud with an API client of the cloud's seed (or holds usage for the export file).
 * Devices reach it at `onprem.lab` (`license smart url cslu https://onprem.lab:8443/cslu/v1/pi/<VA>-1`).
 */
import { createOnPremApp, upstreamFor, type OnPremApp, type RequestSender } from '#cloud';
import type { LabClock } from './clock/index.ts';
import { openInProcessCloud, type InProcessCloud } from './in-process-cloud.ts';

export const LAB_ONPREM_HOST = 'onprem.lab';

export interface LabOnPremOptions {
  /** The On-Prem's own accounts, VAs, tokens (a seed document, YAML or JSON text). */
  seed: string;
  /** How its relays and its synchronization reach the lab's cloud; absent: On-Prem is disconnected. */
  cssm?: { account: string; clientId: string; clientSecret: string };
  /** The name it gives CSSM when it synchronizes (default `SSM On-Prem`). */
  satellite?: string;
}

export interface LabOnPrem {
  readonly app: OnPremApp;
  /** Its own licensing server (accounts, classic registrations). */
  readonly server: InProcessCloud;
  close(): Promise<void>;
}

export async function openLabOnPrem(
  clock: LabClock,
  options: LabOnPremOptions,
  cloud: RequestSender,
): Promise<LabOnPrem> {
  const server = await openInProcessCloud(clock, { seed: options.seed, seedSource: 'onprem seed' });
  const cssm = options.cssm;
  const app = createOnPremApp({
    cloud: server.app,
    service: server.service,
    clock,
    ...(options.satellite !== undefined ? { satellite: options.satellite } : {}),
    ...(cssm
      ? {
          upstream: upstreamFor(
            cloud,
            { clientId: cssm.clientId, clientSecret: cssm.clientSecret, smartAccount: cssm.account },
            clock,
            'the lab cloud',
          ),
        }
      : {}),
  });
  return {
    app,
    server,
    async close() {
      app.close();
      await server.close();
    },
  };
}
