/**
 * Foreign chains and rules: what another tool owns. A profile's `preserve` globs say which user
 * chains fleet leaves alone (a known owner's name stands for its chains); the catalogue of known
 * owners (src/model/known-owners.ts) says whose a chain or a rule recognisably is, so plan and
 * apply can name the tools they found and refuse to delete what one of them needs.
 */
import { KNOWN_OWNERS, type KnownOwner, preserveGlobs } from '../model/known-owners.js';
import { FLEET_CHAIN_PREFIX } from './compile/names.js';
import { commentOf, type Rule, targetOf } from './model.js';

const globCache = new Map<string, RegExp>();

/** Shell-style glob: `*` any run of characters, `?` one character; case matters, as in chain names. */
export function globMatch(glob: string, name: string): boolean {
  let re = globCache.get(glob);
  if (!re) {
    const body = glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`);
    globCache.set(glob, re);
  }
  return re.test(name);
}

function anyMatch(globs: readonly string[] | undefined, name: string): boolean {
  return globs?.some((g) => globMatch(g, name)) ?? false;
}

/**
 * Answers kept per chain name (a plan asks about each chain once per rule that jumps to it; a
 * Kubernetes node has thousands), per list of `preserve` entries; forgotten past MAX_ANSWERS
 * names, so a run over thousands of hosts with chains of their own stays small.
 */
const foreignAnswers = new WeakMap<readonly string[], Map<string, boolean>>();
const ownerAnswers = new Map<string, KnownOwner | undefined>();
const MAX_ANSWERS = 50_000;

function bounded<V>(m: Map<string, V>): Map<string, V> {
  if (m.size >= MAX_ANSWERS) m.clear();
  return m;
}

/** Is this chain one fleet must leave alone under these `preserve` entries? Fleet's own never are. */
export function isForeignChain(name: string, preserve: readonly string[]): boolean {
  if (name.startsWith(FLEET_CHAIN_PREFIX)) return false;
  let answers = foreignAnswers.get(preserve);
  if (!answers) {
    answers = new Map();
    foreignAnswers.set(preserve, answers);
  }
  const known = answers.get(name);
  if (known !== undefined) return known;
  const yes = anyMatch(preserveGlobs(preserve), name);
  bounded(answers).set(name, yes);
  return yes;
}

/** The known owner of a user chain, if any. */
export function chainOwner(name: string): KnownOwner | undefined {
  if (name.startsWith(FLEET_CHAIN_PREFIX)) return undefined;
  if (!ownerAnswers.has(name))
    bounded(ownerAnswers).set(
      name,
      KNOWN_OWNERS.find((o) => anyMatch(o.chains, name)),
    );
  return ownerAnswers.get(name);
}

/** The tool that recognisably owns a chain, by its title (audit's wording). */
export function knownForeignOwner(name: string): string | undefined {
  return chainOwner(name)?.title;
}

/** Values following any of these options in a rule's argv. */
function valuesOf(args: readonly string[], options: readonly string[]): string[] {
  return args.flatMap((a, i) => (options.includes(a) && i + 1 < args.length ? [args[i + 1]!] : []));
}

const INTERFACE_OPTS = ['-i', '-o', '--in-interface', '--out-interface'];
const SET_OPTS = ['--match-set'];
const MARK_OPTS = ['--mark', '--set-xmark', '--set-mark', '--or-mark', '--and-mark'];
const ADDRESS_OPTS = ['-s', '-d', '--source', '--destination'];
const PORT_OPTS = ['--dport', '--sport', '--destination-port', '--source-port', '--dports', '--sports'];

/** Values of these options that are not negated (`! -d X` is every address but X). */
function plainValuesOf(args: readonly string[], options: readonly string[]): string[] {
  return args.flatMap((a, i) =>
    options.includes(a) && i + 1 < args.length && args[i - 1] !== '!' ? [args[i + 1]!] : [],
  );
}

/** Is the rule to or from one of the owner's well-known addresses, on one of its ports? */
function hitsEndpoint(o: KnownOwner, args: readonly string[]): boolean {
  if (!o.endpoints) return false;
  const addresses = plainValuesOf(args, ADDRESS_OPTS).map((a) => a.replace(/\/(32|128)$/, ''));
  const ports = plainValuesOf(args, PORT_OPTS).flatMap((p) => p.split(','));
  return o.endpoints.some((e) => addresses.includes(e.address) && ports.some((p) => e.ports.includes(p)));
}

export function interfacesOf(args: readonly string[]): string[] {
  return valuesOf(args, INTERFACE_OPTS);
}

/**
 * The known owner of a rule in a built-in chain: the tool whose chain it jumps to, or whose
 * comment, ipset, packet mark or interface it carries, or the well-known address and port it
 * serves on (in that order of evidence). Fleet's rules are nobody else's.
 */
export function ruleOwner(rule: Rule): KnownOwner | undefined {
  const target = targetOf(rule.args);
  const byChain = target ? chainOwner(target) : undefined;
  if (byChain) return byChain;
  const comment = commentOf(rule.args);
  const sets = valuesOf(rule.args, SET_OPTS);
  const marks = valuesOf(rule.args, MARK_OPTS);
  const ifaces = interfacesOf(rule.args);
  // the strongest evidence first, across every owner: a comment names its tool, while a mark
  // may be shared (Calico and kube-router both use 0x10000/0x10000)
  const evidence: ((o: KnownOwner) => boolean)[] = [
    (o) => comment !== undefined && anyMatch(o.comments, comment),
    (o) => sets.some((s) => anyMatch(o.sets, s)),
    (o) => marks.some((m) => o.marks?.includes(m)),
    (o) => ifaces.some((i) => anyMatch(o.interfaces, i)),
    (o) => hitsEndpoint(o, rule.args),
  ];
  for (const test of evidence) {
    const owner = KNOWN_OWNERS.find(test);
    if (owner) return owner;
  }
  return undefined;
}

/** An ipset a known owner keeps its bans in (fail2ban's `f2b-*`, sshguard's, CrowdSec's). */
export function isForeignBanSet(name: string): boolean {
  return KNOWN_OWNERS.some((o) => o.banSets && anyMatch(o.sets, name));
}

/**
 * An interface a known owner creates for its containers, pods or VMs (`docker0`, `cali+`,
 * `virbr0`): the lockout guard takes it that fleet's SSH does not come in through one.
 */
export function isForeignInterface(name: string): boolean {
  const bare = name.replace(/\+$/, '');
  return KNOWN_OWNERS.some((o) => anyMatch(o.interfaces, bare));
}
