/** A route is data: method, path, schemas and docs for OpenAPI, and the handler. */
import type { TSchema } from '@sinclair/typebox';
import type { Clock } from '#protocol';
import type { CloudService } from '../domain/index.ts';
import type { FaultInjector } from './faults.ts';
import type { LabRequest, LabResponse } from './http-types.ts';

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
  tag: 'device' | 'lab' | 'management';
  summary: string;
  request?: TSchema;
  response?: TSchema;
  /** Extra documented answers besides 200 and the catalogue errors. */
  errors?: string[];
  handler(input: RouteInput): Promise<LabResponse>;
}
