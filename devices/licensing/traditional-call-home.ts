/**
 * `license call-home install pak <PAK>`, `license call-home resend <url>` and `license call-home revoke udi
 * <PID:SN> <url>` (A.4, A.8 "call-home rehost"; seed 001 "License Call Home"): what a request must be before
 * it is sent, the dialog IOS prints while it asks the portal, and what the portal's answer does on the
 * device. The answer goes through the paths of `license install` and `license revoke` (traditional-agent.ts
 * passes them in), so a line the portal sends is checked exactly as a file's line is.
 *
 * Lab choices (A.4 marks the prompts and the syntax unconfirmed): the shell is not interactive, so the
 * prompts are printed with the answers the lab's operator gives (`CCO User Name:` the lab's login, the
 * password not echoed); the command returns at once and the portal's answer is printed by `show license
 * call-home` (and logged as any install or revoke is); a PAK is 11 letters and digits (A.1).
 */
import type { Udi } from '#protocol';
import type { ActionResult } from '../cli/cli-device.ts';
import type { SnapshotFrom } from 'xstate';
import type { CallHomeMachine, CallHomeOutcome, CallHomeRequest } from './call-home.machine.ts';
import type { CallHomeView } from './traditional-view.ts';
import type { CallHomeAnswer } from './cloud-client/call-home-client.ts';

type FileWriter = (text: string) => ActionResult;

export type CallHomeCommand =
  | { type: 'license.callHome'; op: 'install'; pak: string }
  /** `write` stores the resent license file at the URL the user gave. */
  | { type: 'license.callHome'; op: 'resend'; url: string; write: FileWriter }
  /** `write` stores the target's license file at the URL the user gave. */
  | { type: 'license.callHome'; op: 'revoke'; targetUdi: string; url: string; write: FileWriter };

const PAK = /^[A-Za-z0-9]{11}$/;
const UDI = /^([A-Za-z0-9][A-Za-z0-9/_.+-]*):([A-Za-z0-9][A-Za-z0-9_.-]*)$/;

/** The request to send, or the refusal (nothing is sent). */
export function callHomeRequest(
  command: CallHomeCommand,
  udi: Udi,
): { ok: true; request: CallHomeRequest } | { ok: false; error: string } {
  switch (command.op) {
    case 'install':
      if (!PAK.test(command.pak))
        return { ok: false, error: `% Invalid PAK ${command.pak}: a PAK is 11 letters and digits` };
      return {
        ok: true,
        request: {
          call: { op: 'install', udi, pak: command.pak.toUpperCase() },
          command: `install pak ${command.pak}`,
        },
      };
    case 'resend':
      return { ok: true, request: { call: { op: 'resend', udi }, command: `resend ${command.url}` } };
    case 'revoke': {
      const m = UDI.exec(command.targetUdi);
      if (!m) return { ok: false, error: `% Invalid UDI ${command.targetUdi}: expected <PID>:<SN>` };
      const targetUdi = { pid: m[1]!, sn: m[2]! };
      if (targetUdi.sn === udi.sn)
        return { ok: false, error: `% Invalid UDI ${command.targetUdi}: the target must be another device` };
      return {
        ok: true,
        request: {
          call: { op: 'revoke', udi, targetUdi },
          command: `revoke udi ${command.targetUdi} ${command.url}`,
        },
      };
    }
  }
}

/** What IOS prints while it contacts the portal (recalled prompts, unconfirmed). */
export function callHomeDialog(request: CallHomeRequest, licenseUdi: string, username: string): string {
  const [pid, sn] = licenseUdi.split(':');
  const { call } = request;
  return [
    `CCO User Name: ${username}`,
    'CCO Password: ',
    ...(call.op === 'install' ? [`Pak Number : ${call.pak}`] : []),
    `Platform : ${pid}`,
    `Serial Number : ${sn}`,
    ...(call.op === 'revoke' ? [`Target UDI : ${call.targetUdi.pid}:${call.targetUdi.sn}`] : []),
    'Contacting the Cisco licensing portal ...',
    '',
  ].join('\n');
}

/** The agent's own paths an answer goes through. */
export interface CallHomePort {
  /** `license install` of the portal's file (the same checks, report and events). */
  install(url: string, text: string): ActionResult;
  /**
   * Revokes the portal's revoked ids held here and installs the grace file through the install checks:
   * the features revoked and installed, or the install check's refusal.
   */
  revoke(
    revoked: readonly string[],
    graceFile: string,
    ticket: string,
  ): { ok: true; revoked: readonly string[]; installed: readonly string[] } | { ok: false; error: string };
}

const MISFIT = '% License call-home answer does not fit the request';

const lines = (r: ActionResult): string[] => (r.ok ? r.output : r.error).split('\n').filter((l) => l !== '');

/** Carries out the portal's answer; what it printed is the outcome `show license call-home` shows. */
export function applyCallHomeAnswer(
  command: CallHomeCommand,
  request: CallHomeRequest,
  answer: CallHomeAnswer,
  port: CallHomePort,
  at: number,
): CallHomeOutcome {
  const outcome = (r: ActionResult): CallHomeOutcome => ({ command: request.command, at, ok: r.ok, lines: lines(r) });
  if (!answer.result.ok) return outcome({ ok: false, error: `% License call-home failed: ${answer.result.reason}` });
  if (answer.op === 'revoke') {
    const body = answer.result.body;
    const target = request.call.op === 'revoke' ? request.call.targetUdi : undefined;
    const done = port.revoke(body.revoked, body.graceLicenseFile, `call-home:${target?.pid}:${target?.sn}`);
    if (!done.ok) return outcome(done);
    if (command.op !== 'revoke') return outcome({ ok: false, error: MISFIT });
    const report = [
      ...done.revoked.map((f) => `Revoking...Feature:${f}...Successful`),
      ...done.installed.map((f) => `Installing...Feature:${f}...Successful:Supported`),
      '',
    ].join('\n');
    const written = command.write(body.licenseFile);
    const saved = `License file for ${target?.pid}:${target?.sn} saved ..... to ${command.url}`;
    // The portal has revoked already: a file that cannot be written is resent from the target.
    const lost = "% The portal keeps the target's license: resend it from the target";
    return outcome(
      written.ok ? { ok: true, output: report + saved } : { ok: false, error: `${report}${written.error}\n${lost}` },
    );
  }
  const { body } = answer.result;
  if (answer.op === 'install') return outcome(port.install(body.fileName, body.licenseFile));
  if (command.op !== 'resend') return outcome({ ok: false, error: MISFIT });
  const written = command.write(body.licenseFile);
  return outcome(
    written.ok
      ? { ok: true, output: `${body.licenses.length} license(s) resent; license file saved ..... to ${command.url}` }
      : written,
  );
}

/** `show license call-home`'s data: where requests go and as whom, the request in flight, the last outcome. */
export function callHomeView(
  snapshot: SnapshotFrom<CallHomeMachine>,
  client: { url: string; username: string },
): CallHomeView {
  const { value, context } = snapshot;
  return {
    ...client,
    state: value === 'requesting' ? 'requesting' : 'idle',
    ...(value === 'requesting' && context.request ? { pending: context.request.command } : {}),
    ...(context.last ? { last: context.last } : {}),
  };
}
