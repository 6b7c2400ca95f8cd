/**
 * The cloud's HTTP exchange as plain data, so the same handler serves node:http(s) and the in-process
 * transport (identical request and response bytes, no sockets).
 */
export interface LabRequest {
  method: string;
  /** Path without the query string, as sent. */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export interface LabResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** A fault rule may drop the exchange: the socket is destroyed with no answer. */
export const DROP = Symbol('drop');
export type LabResult = LabResponse | typeof DROP;
