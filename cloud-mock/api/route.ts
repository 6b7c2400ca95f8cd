/** A route is data: method, path, schemas and docs for OpenAPI, and the handler. */
import type { TSchema } from '@sinclair/typebox';
import type { Clock } from '#protocol';
import type { CloudService } from '../domain/index.ts';
import type { FaultInjector } from './faults.ts';
import type { LabKey } from './lab-key.ts';
import type { LabRequest, LabResponse } from './http-types.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { ErrorEnvelope } from './respond.ts';

/** The stepped lab clock's controls, when the cloud runs on one (`lab cloud --step`). */
export interface ClockControl {
  advance(ms: number): Promise<void>;
  advanceTo(t: number): Promise<void>;
}

export interface AppContext {
  service: CloudService;
  clock: Clock & { describe?(): unknown };
  clockControl: ClockControl | undefined;
  faults: FaultInjector;
  /** Required on lab control routes; null only for a cloud no one else can reach (devices in this process). */
  labKey: LabKey | null;
  /** Per API client, for the management API and the token endpoints. */
  rateLimiter: RateLimiter;
  log: (line: string) => void;
}

export interface RouteInput {
  req: LabRequest;
  params: Record<string, string>;
  app: AppContext;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `/lab/faults/:id` style. */
  path: string;
  /**
   * `slp`: the swapi SLP routes for CSLU and tools, bearer-authenticated like `management` but scoped by the
   * X-CSW-* headers rather than the path, with swapi's `status: "FAILED"` errors.
   */
  tag: 'device' | 'lab' | 'oauth' | 'management' | 'slp';
  summary: string;
  request?: TSchema;
  /** Body media types besides application/json (OpenAPI requestBody content). */
  requestTypes?: string[];
  /** Query parameters: an object schema of strings. */
  query?: TSchema;
  response?: TSchema;
  /** The HTTP status of its success answer (default 200; SLP uploads answer 202). */
  status?: number;
  /** A /lab/ route that answers without the lab key (health, the CA certificate). */
  keyless?: true;
  /** The route needs `Authorization: Bearer <access_token>` (OpenAPI security). */
  bearer?: boolean;
  /** How its errors are shaped (default `lab`). */
  envelope?: ErrorEnvelope;
  /** Extra documented answers besides 200 and the catalogue errors. */
  errors?: string[];
  handler(input: RouteInput): Promise<LabResponse>;
}
