/**
 * How a booting device starts the licensing agent its mode runs (kinds/licensing-mode.ts): the agent's
 * input from the device's record and running configuration, and the host that logs what it emits and keeps
 * what it saves. device.ts calls one of these at every boot.
 */
import type { InspectionEvent } from 'xstate';
import type { Udi } from '#protocol';
import type { DeviceEnvironment } from './device-environment.ts';
import type { DeviceRecord, StartupConfig } from './device-record.ts';
import type { DeviceLog } from './events/device-log.ts';
import type { PlatformModel, SoftwareRelease } from './kinds/platform.ts';
import { entitlementsInUse, type RunningLevel } from './licensing/boot-level.ts';
import type { DeviceKey } from './licensing/device-key.ts';
import { SmartAgent } from './licensing/smart-agent.ts';
import type { SmartLicEmission } from './licensing/smart-events.ts';
import type { SmartTimers } from './licensing/smart-timers.ts';
import { TraditionalAgent, traditionalBoot } from './licensing/traditional-agent.ts';
import { traditionalMessages, type TraditionalEmission } from './licensing/traditional-context.ts';
import type { TraditionalTimers } from './licensing/traditional-timers.ts';
import type { MessageDefinition } from './syslog/message-definition.ts';

/** What a booting device hands its agent. */
export interface AgentBoot {
  env: DeviceEnvironment;
  platform: PlatformModel;
  release: SoftwareRelease;
  udi: Udi;
  key: DeviceKey;
  record: DeviceRecord;
  running: StartupConfig;
  log: DeviceLog;
  /** The record changed: write it. */
  save(): void;
  report(problem: string): void;
  inspect?: (event: InspectionEvent) => void;
}

export function startSmartAgent(boot: AgentBoot, timers: SmartTimers, active: RunningLevel): SmartAgent {
  const { record } = boot;
  const input = {
    record: record.smart,
    timers,
    entitlements: entitlementsInUse(boot.platform, active),
    device: {
      udi: boot.udi,
      softwareVersion: boot.release.version,
      hostname: boot.running.hostname,
      clockOffsetMs: record.clockOffsetMs,
      publicKeySpkiB64: boot.key.publicKeySpkiB64,
    },
  };
  const host = {
    emit: (e: SmartLicEmission) => void boot.log.smartLic(e.mnemonic, e.params, e.trap),
    save: (smart: DeviceRecord['smart']) => {
      record.smart = smart;
      boot.save();
    },
    report: boot.report,
  };
  return new SmartAgent(boot.env.smart, input, host, boot.inspect);
}

/** The agent, and the level this boot runs (chosen from the licenses present). */
export function startTraditionalAgent(boot: AgentBoot, timers: TraditionalTimers): TraditionalAgent {
  const { record } = boot;
  const input = traditionalBoot(boot.env.traditional, {
    platform: boot.platform,
    udi: boot.udi,
    startup: boot.running,
    record: record.traditional,
    timers,
    clockOffsetMs: record.clockOffsetMs,
  });
  const host = {
    emit: (e: TraditionalEmission) => {
      const definition = traditionalMessages[e.mnemonic] as MessageDefinition<unknown, unknown>;
      boot.log.log(definition, e.params, e.trap);
    },
    save: (traditional: DeviceRecord['traditional']) => {
      record.traditional = traditional;
      boot.save();
    },
    report: boot.report,
  };
  return new TraditionalAgent(boot.env.traditional, boot.platform, input, host, boot.inspect);
}
