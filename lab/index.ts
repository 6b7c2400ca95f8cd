/** The lab's import surface, for tests, benchmarks and scenarios. */
export { createLab, type Lab, type LabCloud, type LabCloudOptions, type LabOptions } from './lab.ts';
export type { DeviceSelector, DeviceSpec, EventQuery } from './lab.ts';
export type { LocalLab } from './local-lab.ts';
export type { LabCslu, LabCsluOptions, LabCsluPullOptions } from './lab-cslu.ts';
export { serveDeviceHttp, type DeviceHttpServer } from './device-http-server.ts';
export type { InProcessCloud, InProcessCloudOptions } from './in-process-cloud.ts';
export { LabClock, CLOCK_MODES, DEFAULT_START, hostPace, type ClockMode, type LabClockOptions } from './clock/index.ts';
export { openInProcessCloud } from './in-process-cloud.ts';
export { loadTopology, parseTopology, type FleetNode, type Topology } from './fleet/topology.ts';
export { ShardedFleet, type ShardedFleetOptions } from './shards/sharded-fleet.ts';
export {
  SyslogCollector,
  type CollectedSyslog,
  type SyslogCollectorCounts,
  type SyslogCollectorOptions,
} from './collectors/syslog-collector.ts';
export { parseSyslogHost, syslogWire } from './collectors/syslog-forwarding.ts';
export { TrapCollector, type TrapCollectorCounts, type TrapCollectorOptions } from './collectors/trap-collector.ts';
export {
  FleetSnmpAgent,
  splitCommunity,
  type FleetSnmpAgentCounts,
  type FleetSnmpAgentOptions,
} from './snmp/fleet-snmp-agent.ts';
export { loadScenario, parseScenario, ScenarioError, type Scenario } from './scenario/scenario.ts';
export { runScenario, type RunOptions, type ScenarioResult, type StepResult } from './scenario/run-scenario.ts';
export { AgentCoverage, coverageText, type MachineReport } from './scenario/coverage.ts';
export type { Step } from './scenario/step-kinds.ts';
