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
import { convertibleLicenses } from './licensing/convertible-licenses.ts';
import type { DeviceKey } from './licensing/device-key.ts';
import { SmartAgent } from './licensing/smart-agent.ts';
import type { SmartLicEmission } from './licensing/smart-events.ts';
import type { SmartTimers } from './licensing/smart-timers.ts';
import { TraditionalAgent, traditionalBoot } from './licensing/traditional-agent.ts';
import { traditionalMessages, type TraditionalEmission } from './licensing/traditional-context.ts';
import type { TraditionalTimers } from './licensing/traditional-timers.ts';
import type { MessageDefinition } from './syslog/message-definition.ts';
import { findEntitlement } from '#protocol';
import { DEFAULT_SLP_CONFIG } from './licensing/slp-config.ts';
import { convertedFromSmart } from './licensing/slp-conversion.ts';
import { SlpAgent } from './licensing/slp-agent.ts';
import { licenseClassOf, type SlpEntitlement } from './licensing/slp-policy.ts';
import type { SlpTimers } from './licensing/slp-timers.ts';

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
    convertible: convertibleLicenses(
      boot.platform,
      boot.udi,
      record.traditional,
      boot.env.traditional.trust,
      boot.env.clock.now() + record.clockOffsetMs,
    ),
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

/**
 * What an SLP boot asks for: the running level's licenses, and the image's export-controlled features
 * (hseck9), which stay NOT IN USE until a SLAC is installed (§9.1; listing them is the lab's choice).
 */
function slpEntitlements(platform: PlatformModel, active: RunningLevel): SlpEntitlement[] {
  const level = entitlementsInUse(platform, active);
  const controlled = platform.features.flatMap((f) =>
    f.exportControlled && f.entitlementTag && !level.some((e) => e.tag === f.entitlementTag)
      ? [{ tag: f.entitlementTag, count: 1, feature: f.name, exportControlled: true }]
      : [],
  );
  return [...level, ...controlled].map((e) => ({
    tag: e.tag,
    feature: e.feature,
    count: e.count,
    class: licenseClassOf(platform, e),
    description: findEntitlement(e.tag)?.name ?? e.feature,
  }));
}

/** The SLP agent, on the licenses the level this boot runs asks for. */
export function startSlpAgent(boot: AgentBoot, timers: SlpTimers, active: RunningLevel): SlpAgent {
  const { record, platform, udi } = boot;
  record.slp = convertedFromSmart(record.slp, record.smart, boot.env.clock.now());
  const input = {
    record: record.slp,
    timers,
    config: boot.running.slp ?? DEFAULT_SLP_CONFIG,
    entitlements: slpEntitlements(platform, active),
    device: {
      udi,
      sudi: { udi_pid: udi.pid, udi_serial_number: udi.sn },
      softwareVersion: boot.release.version,
      hostname: boot.running.hostname,
      clockOffsetMs: record.clockOffsetMs,
      keyPem: boot.key.pem,
      publicKeySpkiB64: boot.key.publicKeySpkiB64,
    },
  };
  const host = {
    emit: (e: SmartLicEmission) => void boot.log.smartLic(e.mnemonic, e.params, e.trap),
    save: (slp: DeviceRecord['slp']) => {
      record.slp = slp;
      boot.save();
    },
    report: boot.report,
  };
  return new SlpAgent(boot.env.slp, input, host, boot.inspect);
}
