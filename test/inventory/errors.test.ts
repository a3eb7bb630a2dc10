/** One test per class of inventory error: each message names file:line:col and what to do. */
import { describe, expect, it } from 'vitest';
import { problemsOf } from './support.js';

const host = (extra = '') => `hosts:\n  web-01:\n    address: 192.0.2.11\n${extra}`;

describe('inventory errors name file, line and column', () => {
  it('malformed YAML', () => {
    const [msg] = problemsOf({ 'inventory/a.yaml': 'hosts:\n  web-01: { address: 192.0.2.1\n' });
    expect(msg).toMatch(/^\.\/inventory\/a\.yaml:3:1 malformed YAML: /);
  });

  it('unknown key, with did you mean', () => {
    const [msg] = problemsOf({ 'inventory/a.yaml': 'hosts:\n  web-01:\n    adress: 192.0.2.1\n' });
    expect(msg).toBe(
      './inventory/a.yaml:3:5 hosts.web-01.adress: unknown key "adress" in hosts.web-01 (did you mean "address"?); allowed: address, port, user, identity, sudo, groups, tags, vars, profile, proxy_jump',
    );
  });

  it('unknown top-level key', () => {
    expect(problemsOf({ 'inventory/a.yaml': 'host:\n  web-01: {}\n' })[0]).toMatch(
      /^\.\/inventory\/a\.yaml:1:1 host: unknown key "host" \(did you mean "hosts"\?\)/,
    );
  });

  it('an empty management set names the inventory file to edit (native and Ansible)', () => {
    const profile = { 'profiles/base.yaml': 'ssh: { sources: [management] }\n' };
    const native = problemsOf({ ...profile, 'inventory/a.yaml': host() });
    expect(native[0]).toContain(
      '"management" is empty (the inventory has no settings.management_sources); add management_sources under settings: in ./inventory/a.yaml',
    );
    const ini = problemsOf({ ...profile, hosts: '[web]\nweb-01\n' }, { inventory: 'hosts' });
    expect(ini[0]).toContain(
      'set fleet_management_sources in the vars of group all (e.g. ./group_vars/all.yml)',
    );
  });

  it('bad host address', () => {
    const [msg] = problemsOf({ 'inventory/a.yaml': 'hosts:\n  web-01: { address: 192.0.2.300 }\n' });
    expect(msg).toMatch(
      /^\.\/inventory\/a\.yaml:2:22 hosts\.web-01\.address: "192\.0\.2\.300" is not a valid IP address/,
    );
  });

  it('CIDR with host bits set, with both fixes', () => {
    const [msg] = problemsOf({ 'inventory/a.yaml': 'settings:\n  management_sources:\n    - 10.0.0.5/24\n' });
    expect(msg).toBe(
      './inventory/a.yaml:3:7 settings.management_sources[0]: "10.0.0.5/24" has host bits set: write 10.0.0.0/24 for the network or 10.0.0.5/32 for the one address',
    );
  });

  it('port out of range', () => {
    const [msg] = problemsOf({ 'inventory/a.yaml': host('    port: 70000\n') });
    expect(msg).toBe(
      './inventory/a.yaml:4:11 hosts.web-01.port: port must be a whole number from 1 to 65535, got 70000',
    );
  });

  it('unknown group, with did you mean', () => {
    const [msg] = problemsOf({
      'inventory/a.yaml': `groups:\n  web-servers: {}\n${host('    groups: [webservers]\n')}`,
    });
    expect(msg).toMatch(
      /^\.\/inventory\/a\.yaml:6:14 hosts\.web-01\.groups\[0\]: unknown group "webservers" \(did you mean "web-servers"\?\); declare it/,
    );
  });

  it('unknown child group', () => {
    const [msg] = problemsOf({ 'inventory/a.yaml': 'groups:\n  prod: { children: [eu] }\n  eu-west: {}\n' });
    expect(msg).toMatch(/^\.\/inventory\/a\.yaml:2:22 groups\.prod\.children\[0\]: unknown group "eu"/);
  });

  it('unknown profile, with did you mean', () => {
    const [msg] = problemsOf({ 'inventory/a.yaml': host('    profile: bsae\n') });
    expect(msg).toMatch(
      /^\.\/inventory\/a\.yaml:4:14 hosts\.web-01\.profile: unknown profile "bsae" \(did you mean "base"\?\)/,
    );
  });

  it('group children cycle, naming the cycle', () => {
    const [msg] = problemsOf({
      'inventory/a.yaml': 'groups:\n  a: { children: [b] }\n  b: { children: [a] }\n',
    });
    expect(msg).toMatch(
      /^\.\/inventory\/a\.yaml:3:\d+ groups\.b\.children\[0\]: groups form a cycle through children: a -> b -> a/,
    );
  });

  it('names with shell metacharacters', () => {
    const msgs = problemsOf({
      'inventory/a.yaml': 'groups:\n  "web$(id)": {}\nhosts:\n  "db;reboot": { address: 192.0.2.1 }\n',
    });
    expect(msgs[0]).toMatch(
      /^\.\/inventory\/a\.yaml:2:3 .*group name "web\$\(id\)" is not allowed: use letters, digits/,
    );
    expect(msgs[1]).toMatch(/^\.\/inventory\/a\.yaml:4:3 .*host name "db;reboot" is not allowed/);
  });

  it('duplicate host across files, naming both places', () => {
    const [msg] = problemsOf({ 'inventory/a.yaml': host(), 'inventory/b.yaml': `\n${host()}` });
    expect(msg).toBe(
      './inventory/b.yaml:3:3 hosts.web-01: host "web-01" is already declared at ./inventory/a.yaml:2:3; declare each host once (list several groups in its groups:)',
    );
  });

  it('settings in two files', () => {
    const s = 'settings: { management_sources: [192.0.2.0/24] }\n';
    const [msg] = problemsOf({ 'inventory/a.yaml': s, 'inventory/b.yaml': s });
    expect(msg).toMatch(
      /^\.\/inventory\/b\.yaml:1:11 settings: settings are already given at \.\/inventory\/a\.yaml:1:11/,
    );
  });

  it('two profiles at the same distance, naming both groups', () => {
    const inv =
      'groups:\n  web: { profile: base }\n  db: { profile: other }\nhosts:\n  x: { groups: [web, db] }\n';
    const [msg] = problemsOf({ 'inventory/a.yaml': inv, 'profiles/other.yaml': 'ssh: { port: 22 }\n' });
    expect(msg).toMatch(
      /^\.\/inventory\/a\.yaml:5:3 hosts\.x: host "x" gets profile "other" from group "db" and "base" from group "web"/,
    );
  });

  it('collects every problem at once, in file order', () => {
    const msgs = problemsOf({
      'inventory/a.yaml': 'hosts:\n  a: { port: 0 }\n  b: { address: "::zz" }\n',
      'inventory/b.yaml': 'hosts:\n  c: { sudo: maybe }\n',
    });
    expect(msgs.map((m) => m.split(' ')[0])).toEqual([
      './inventory/a.yaml:2:14',
      './inventory/a.yaml:3:17',
      './inventory/b.yaml:2:14',
    ]);
  });

  it('Ansible INI: unknown child group and bad key=value, with line numbers', () => {
    const ini = '[web]\nweb-01 ansible_port\n\n[prod:children]\nweb\neu\n';
    const msgs = problemsOf({ 'hosts.ini': ini }, { inventory: 'hosts.ini' });
    expect(msgs).toEqual([
      './hosts.ini:2:8 web: expected key=value host variable, got "ansible_port"',
      './hosts.ini:6:1 prod:children: group "eu" is named as a child but has no [eu] section; add one or remove the line',
    ]);
  });

  it('Ansible YAML: unknown group key, with did you mean', () => {
    const [msg] = problemsOf(
      { 'hosts.yaml': 'all:\n  children:\n    web:\n      host:\n        web-01:\n' },
      { inventory: 'hosts.yaml' },
    );
    expect(msg).toMatch(
      /^\.\/hosts\.yaml:4:7 all\.children\.web\.host: unknown key "host" in all\.children\.web \(did you mean "hosts"\?\)/,
    );
  });
});
