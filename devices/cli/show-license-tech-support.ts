/**
 * `show license tech-support`, the classic-era subset: the status and usage sections of `show license
 * all`, product and agent information, `Upcoming Scheduled Jobs` from the agent's next times and a
 * `Communication Statistics` block per message type (layouts of smart-licensing.md §4.10). The view holds
 * the last attempt of each exchange, not attempt counters, so each block shows that attempt (`Last
 * Response`, failure reason, last success or failure time); the `Attempts:` counter line is left out.
 */
import type { DeviceView } from './cli-device.ts';
import type { Attempt } from '../licensing/smart-view.ts';
import { exchangeLines, headerLines } from './communication-block.ts';
import { formatRemaining } from '../time/ios-time.ts';
import { statusSection, usageAndProductSections } from './show-license-all.ts';
import { dateOf, text, titled } from './smart-blocks.ts';

/** `(6 hours, 53 minutes, 4 seconds remaining)`: tech-support drops the leading zero units (§4.10). */
export function remainingText(ms: number): string {
  return formatRemaining(ms).replace(/^(0 \w+, )+/, '');
}

function jobLines(view: DeviceView): string[] {
  const { registration: r, authorization: a } = view.smart;
  const date = dateOf(view);
  const now = view.clock.now;
  // Job names seen in captures where one exists (`Authorization Renewal`, `Register Period Expiration
  // Check`); `ID Certificate Renewal`, `Registration Retry`, `Communication Deadline` and `Evaluation
  // Expiration` are lab names for the agent's other timers.
  const jobs: [string, number | undefined][] = [
    ['Authorization Renewal', a.nextCommunicationAttempt],
    ['ID Certificate Renewal', r.nextRenewalAttempt],
    ['Registration Retry', r.nextRegistrationAttempt],
    ['Register Period Expiration Check', r.registrationExpires],
    ['Communication Deadline', a.communicationDeadline],
    ['Evaluation Expiration', a.status === 'eval' ? now + a.evaluationRemainingMs : undefined],
  ];
  return [
    `Current time: ${date(now)}`,
    ...jobs.map(([name, at]) =>
      at === undefined || at < now
        ? `${name}: Expired Not Rescheduled`
        : `${name}: ${date(at)} (${remainingText(at - now)} remaining)`,
    ),
  ];
}

/** The last attempt as the shared block reads it (`OK` / `NO REPLY`, the capture's responses). */
function exchange(name: string, a: Attempt | undefined, date: (t: number) => string): string[] {
  if (!a) return exchangeLines(name, {}, date);
  const last = { response: a.ok ? 'OK' : 'NO REPLY', at: a.at, ...(a.ok ? {} : { reason: a.reason ?? '<none>' }) };
  return exchangeLines(name, { last, ...(a.ok ? { lastSuccessAt: a.at } : { lastFailureAt: a.at }) }, date);
}

function communicationLines(view: DeviceView): string[] {
  const { registration: r, authorization: a } = view.smart;
  const date = dateOf(view);
  return [
    ...headerLines('DIRECT', '<empty>'),
    ...exchange('Registration', r.initialRegistration, date),
    ...exchange('ID Certificate Renewal', r.lastRenewalAttempt, date),
    ...exchange('Authorization Request', a.lastCommunicationAttempt, date),
  ];
}

export function showLicenseTechSupport(view: DeviceView): string {
  return text([
    'Smart Licensing Tech Support info',
    '',
    ...statusSection(view),
    ...usageAndProductSections(view),
    ...titled('Upcoming Scheduled Jobs'),
    ...jobLines(view),
    '',
    ...communicationLines(view),
    '',
  ]);
}
