/** The cloud mock's only import surface. */
export { createCloudApp, CLOUD_VERSION, type CloudApp, type CloudAppOptions } from './api/app.ts';
export { defaultRateLimit, type RateLimit } from './api/rate-limiter.ts';
export { FaultInjector, type FaultRule, type FaultRuleInput } from './api/faults.ts';
export type { ClockControl } from './api/route.ts';
export { isLabKey, LAB_KEY_HEADER, presentedLabKey, type LabKey } from './api/lab-key.ts';
export { DROP, type LabRequest, type LabResponse, type LabResult } from './api/http-types.ts';
export { serve, createRequestListener, type RunningServer, type ServeOptions, type ServedApp } from './server.ts';
export {
  CloudService,
  CloudOperations,
  PortalOperations,
  SlpOperations,
  defaultPolicy,
  type CloudPolicy,
  type LicenseDeposit,
  type LicenseMove,
  type PoolSummary,
  type TagSummary,
  type CustomPolicy,
  type VaRef,
} from './domain/index.ts';
export {
  openStore,
  DEFAULT_DB_PATH,
  SqliteStore,
  PostgresStore,
  StoreError,
  type Store,
  type CloudEvent,
  type ProductInstance,
  type Pak,
  type PortalLicense,
} from './store/index.ts';
export { parseSeed, applySeed, type SeedDocument, type SeedResult } from './seed/index.ts';
export { MockCa } from './ca/index.ts';
export { DomainError } from './domain/index.ts';
export { CsluService, type CsluOptions } from './cslu/cslu-service.ts';
export { CsluStore, type CsluInstance, type CsluReport, type PullTarget } from './cslu/cslu-store.ts';
export { createCsluApp, type CsluApp, type CsluAppOptions } from './cslu/cslu-app.ts';
export {
  CsluPull,
  DEFAULT_PULL_INTERVAL_MS,
  type CsluPullOptions,
  type PullOutcome,
  type PullTargetInput,
  type PullTargetView,
} from './cslu/cslu-pull.ts';
export { deviceHttpSender, type DeviceAnswer, type DeviceCall, type DeviceSender } from './cslu/cslu-device-sender.ts';
export {
  createUpstream,
  upstreamFor,
  httpSender,
  inProcessSender,
  type RequestSender,
  type SlpUpstream,
  type UpstreamAccount,
} from './cslu/cslu-upstream.ts';
export { createOnPremApp, type OnPremApp, type OnPremAppOptions } from './onprem/onprem-app.ts';
export { DEFAULT_VA_NAME } from './domain/accounts.ts';
