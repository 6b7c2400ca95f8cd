/** The device's HTTP server in front of /smartlic-service: `ip http server`, local users, privilege 15. */
import { describe, expect, it } from 'vitest';
import { slpLab } from '../licensing/slp.test-support.ts';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const list = { method: 'GET', path: '/smartlic-service/list' };

describe('the on-box HTTP server', () => {
  it('is off until `ip http server`; then wants a local privilege-15 user', () => {
    const d = slpLab().device();
    expect(d.onBoxHttp({ ...list, authorization: basic('cslu', 'Pull-Me-1') })).toEqual({ refused: true });
    d.exec('configure terminal');
    expect(d.exec('ip http server')).toBe('');
    expect(d.exec('username viewer secret Pull-Me-1')).toBe('');
    expect(d.exec('username cslu privilege 15 secret 0 Pull-Me-1')).toBe('');
    const enableAuth = d.onBoxHttp({ ...list, authorization: basic('cslu', 'Pull-Me-1') });
    expect(enableAuth).toMatchObject({ refused: false, response: { status: 401 } });
    expect(d.exec('ip http authentication local')).toBe('');
    d.exec('end');
    expect(d.view().access).toEqual({
      httpServer: true,
      httpAuthentication: 'local',
      users: [
        { name: 'viewer', privilege: 1, secret: 'Pull-Me-1' },
        { name: 'cslu', privilege: 15, secret: 'Pull-Me-1' },
      ],
    });
    const ok = d.onBoxHttp({ ...list, authorization: basic('cslu', 'Pull-Me-1') });
    expect(ok).toMatchObject({ refused: false, response: { status: 200, body: { reports: expect.any(Array) } } });
    expect(d.onBoxHttp({ ...list, authorization: basic('cslu', 'wrong') })).toMatchObject({
      response: { status: 401, body: { message: 'bad user name or password' } },
      challenge: expect.stringMatching(/^Basic realm=/),
    });
    expect(d.onBoxHttp(list)).toMatchObject({ response: { status: 401 } });
    expect(d.onBoxHttp({ ...list, authorization: basic('viewer', 'Pull-Me-1') })).toMatchObject({
      response: { status: 403, body: { message: 'user viewer has privilege 1; 15 is needed' } },
    });
  });

  it('`no` forms take it back; `write memory` keeps it over a reload', async () => {
    const lab = slpLab();
    const d = lab.device();
    d.exec('configure terminal');
    d.exec('ip http server');
    d.exec('ip http authentication local');
    d.exec('username cslu privilege 15 password Pull-Me-1');
    d.exec('username old secret x');
    d.exec('no username old');
    d.exec('end');
    d.exec('write memory');
    d.exec('reload');
    await lab.clock.advance(10 * 60_000);
    expect(d.view().access.users.map((u) => u.name)).toEqual(['cslu']);
    expect(d.onBoxHttp({ ...list, authorization: basic('cslu', 'Pull-Me-1') })).toMatchObject({
      response: { status: 200 },
    });
    d.exec('configure terminal');
    d.exec('no ip http authentication');
    expect(d.view().access.httpAuthentication).toBe('enable');
    d.exec('no ip http server');
    d.exec('end');
    expect(d.onBoxHttp({ ...list, authorization: basic('cslu', 'Pull-Me-1') })).toEqual({ refused: true });
  });
});
