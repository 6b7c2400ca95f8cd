/** %CALL_HOME messages the Smart Agent causes on the Call Home transport (smart-licensing.md §5.3, last table). */
import { defineMessages } from './message-definition.ts';

export const CALL_HOME = 'CALL_HOME';

export const callHomeMessages = defineMessages(CALL_HOME, {
  CALL_HOME_ENABLED: {
    severity: 6,
    text: () => 'Call-home is enabled by Smart Agent for Licensing.',
    source: '§5.3 CALL_HOME, device log',
  },
  SL_MESSAGE_FAILED: {
    severity: 5,
    // Only the bracketed suffixes are captured (FN72323); the part before them is lab wording.
    text: (p: { message: string; url: string; error: 205 | 207 }) =>
      `Fail to send out Smart Licensing ${p.message} message to: ${p.url} (ERR ${p.error} : ${p.error === 205 ? 'Request Aborted' : 'Connection time out'})`,
    source:
      '§5.3 CALL_HOME, FN72323 suffixes "(ERR 205 : Request Aborted)" / "(ERR 207 : Connection time out)"; lab wording before them',
  },
});
