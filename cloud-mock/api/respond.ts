/** Building answers: JSON bodies and errors from the one catalogue. No stack trace ever leaves the cloud. */
import { statusOf, type ErrorBody, type ErrorCode } from '#protocol';
import { DomainError } from '../domain/index.ts';
import { StoreError } from '../store/index.ts';
import type { LabResponse } from './http-types.ts';

export function json(status: number, value: unknown, headers: Record<string, string> = {}): LabResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: Buffer.from(JSON.stringify(value)) };
}

export function errorResponse(code: ErrorCode, message: string, details?: unknown, status = statusOf(code)): LabResponse {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return json(status, body);
}

/** Turns anything thrown by a handler into a catalogue answer; only true defects are logged. */
export function fromError(err: unknown, log: (line: string) => void): LabResponse {
  if (err instanceof DomainError) return errorResponse(err.code, err.message, err.details);
  if (err instanceof StoreError) return errorResponse('STORE_UNAVAILABLE', err.message);
  log(`[cloud] internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return errorResponse('INTERNAL_ERROR', 'the cloud mock hit a defect; the request was not applied (details are in the cloud log)');
}
