/** What every SmartCloudClient call answers: the body, a communication failure, or a refusal by the cloud. */
export type CloudResult<T> =
  | { ok: true; body: T }
  /** Nothing usable came back: the agent keeps its state and retries (%SMART_LIC-3-COMM_FAILED). */
  | { ok: false; kind: 'comm'; reason: string }
  /** The cloud understood and said no (a catalogue 4xx): `code` and `message` as the cloud sent them. */
  | { ok: false; kind: 'refused'; code: string; status: number; message: string; reason: string };

export type CloudFailure = Exclude<CloudResult<never>, { ok: true }>;
