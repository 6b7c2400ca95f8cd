/** The device's cloud transport: transports (HTTP(S), in-process) and the Smart Licensing client over them. */
export type { CloudTransport, TransportFailure, TransportFailureKind, TransportResult } from './transport.ts';
export {
  createHttpTransport,
  DEFAULT_TIMEOUT_MS,
  FLEET_MAX_SOCKETS,
  type HttpTransportOptions,
} from './http-transport.ts';
export { createInProcessTransport, type InProcessHandler } from './in-process-transport.ts';
export {
  SmartCloudClient,
  type DeviceIdentity,
  type RegisterParams,
  type SmartCloudClientOptions,
} from './smart-cloud-client.ts';
export type { CloudFailure, CloudResult } from './cloud-result.ts';
export {
  CallHomeClient,
  type CallHomeAnswer,
  type CallHomeCall,
  type CallHomeClientOptions,
  type CallHomeLogin,
} from './call-home-client.ts';
export { commFailureReasons, refusalReasons, type TransportType } from './failure-reasons.ts';
