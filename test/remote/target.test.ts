import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SshConfigError } from '../../src/remote/errors.js';
import { canonicalJump, parseJump, resolveTarget } from '../../src/remote/target.js';

const dir = mkdtempSync(join(tmpdir(), 'fleet-target-'));
const cfg = join(dir, 'config');
writeFileSync(
  cfg,
  `Host 10.1.0.*
  User cfg-user
  Port 2200
  IdentityFile ~/.ssh/cfg_key
  ProxyJump gw
Host gw
  HostName gw.example
  User jumper
Host 10.9.9.9
  ProxyCommand nc %h %p
Host *
  ConnectTimeout 4
  ServerAliveInterval 7
`,
);
const sshConfig = { configFile: cfg, home: '/home/op' };

describe('resolveTarget: inventory over ssh_config, like ssh -l/-p/-i/-J', () => {
  it('takes what the inventory leaves unset from ssh_config', () => {
    const t = resolveTarget({ name: 'web-1', address: '10.1.0.5' }, { sshConfig });
    expect(t).toMatchObject({ hostname: '10.1.0.5', user: 'cfg-user', port: 2200, sudo: true });
    expect(t.identityFiles).toEqual(['/home/op/.ssh/cfg_key']);
    expect(t.knownHostsName).toBe('[10.1.0.5]:2200');
    expect(t.connectTimeoutMs).toBe(4000);
    expect(t.keepaliveIntervalMs).toBe(7000);
    expect(t.jumps.map((j) => [j.label, j.hostname, j.user, j.port])).toEqual([
      ['gw', 'gw.example', 'jumper', 22],
    ]);
  });

  it('lets inventory user, port, identity and proxy_jump win; identity is tried first', () => {
    const host = {
      name: 'web-1',
      address: '10.1.0.5',
      user: 'root',
      port: 22,
      identity: '/keys/inv',
      proxyJump: 'bastion',
    };
    const lookupHost = (n: string) =>
      n === 'bastion' ? { name: 'bastion', address: '192.0.2.1', user: 'root' } : undefined;
    const t = resolveTarget(host, { sshConfig, lookupHost });
    expect(t).toMatchObject({ user: 'root', port: 22, sudo: false, knownHostsName: '10.1.0.5' });
    expect(t.identityFiles).toEqual(['/keys/inv', '/home/op/.ssh/cfg_key']);
    expect(t.jumps.map((j) => `${j.user}@${j.hostname}:${j.port}`)).toEqual(['root@192.0.2.1:22']);
  });

  it('resolves a multi-hop chain first hop first', () => {
    const t = resolveTarget({ name: 'x', address: 'x.example', proxyJump: 'a@one:2022,gw' }, { sshConfig });
    expect(t.jumps.map((j) => `${j.user}@${j.hostname}:${j.port}`)).toEqual([
      'a@one:2022',
      'jumper@gw.example:22',
    ]);
  });

  it('refuses ProxyCommand with a hint to use ProxyJump', () => {
    expect(() => resolveTarget({ name: 'nine', address: '10.9.9.9' }, { sshConfig })).toThrow(SshConfigError);
    expect(() => resolveTarget({ name: 'nine', address: '10.9.9.9' }, { sshConfig })).toThrow(/ProxyCommand/);
  });

  it('uses the local user when nobody names one', () => {
    const t = resolveTarget({ name: 'n', address: 'nowhere.example' }, { sshConfig });
    expect(t.user).toBe(userInfo().username);
  });
});

describe('ProxyJump specs', () => {
  it('parses user@host:port, [v6]:port and ssh:// forms', () => {
    expect(parseJump('u@h:2222')).toEqual({ user: 'u', host: 'h', port: 2222 });
    expect(parseJump('[2001:db8::1]:22')).toEqual({ user: undefined, host: '2001:db8::1', port: 22 });
    expect(parseJump('ssh://me@bastion')).toEqual({ user: 'me', host: 'bastion', port: undefined });
  });

  it('prints like ssh -G', () => {
    expect(canonicalJump('a,ops@10.0.0.1:22')).toBe('a,ops@[10.0.0.1]:22');
    expect(canonicalJump('bastion')).toBe('bastion');
  });
});
