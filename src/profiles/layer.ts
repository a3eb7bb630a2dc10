/** What one profile file says, before `extends` merging. `null` means "remove what a parent set". */

import type { SourcePos } from '../errors.js';
import type { Located } from '../inventory/model.js';
import type { LogPolicy, Policy, RawRule, ServiceRule, Source } from '../model/profile.js';

export interface ProfileLayer {
  name: string;
  file: string;
  pos: SourcePos;
  description?: string;
  extends: Located<string>[];
  policies: Partial<Record<'input' | 'forward' | 'output', Policy>>;
  ssh: { port?: number; sources?: Source[]; rateLimit?: { hits: number; seconds: number } | null };
  /** Service name -> its rules (one per protocol), or null to drop an inherited service. */
  services: Map<string, ServiceRule[] | null>;
  icmp: { ping?: boolean; rate?: string | null };
  log?: Partial<LogPolicy> | null;
  preserve: string[];
  takeover: string[];
  raw: RawRule[];
}

export function emptyLayer(name: string, file: string, pos: SourcePos): ProfileLayer {
  return {
    name,
    file,
    pos,
    extends: [],
    policies: {},
    ssh: {},
    services: new Map(),
    icmp: {},
    preserve: [],
    takeover: [],
    raw: [],
  };
}
