/**
 * apt's simulation (`apt-get -s upgrade`): one line per action, e.g.
 *   Inst bash [5.2.15-2+b8] (5.2.15-2+b13 Debian:12.15/oldstable [amd64])   upgrade
 *   Inst linux-image-6.1.0-28-amd64 (6.1.119-1 Debian-Security:12/stable-security [amd64])   new
 *   Remv foo [1.2-1]                                                          removal
 * `Conf` lines repeat the Inst ones and are ignored. Pure.
 */
import type { PackageChange } from './types.js';

const INST = /^Inst (\S+) (?:\[([^\]]*)\] )?\((\S+)/;
const REMV = /^Remv (\S+)(?: \[([^\]]*)\])?/;

export function parseAptSimulate(text: string): PackageChange[] {
  const out: PackageChange[] = [];
  for (const line of text.split('\n')) {
    const inst = INST.exec(line);
    if (inst) {
      out.push({ name: inst[1]!, old: inst[2] || null, new: inst[3]! });
      continue;
    }
    const remv = REMV.exec(line);
    if (remv) out.push({ name: remv[1]!, old: remv[2] || null, new: null });
  }
  return out;
}
