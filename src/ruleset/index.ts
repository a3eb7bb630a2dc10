/** The ruleset layer's public API (see docs/ruleset.md). */

export { type Coexistence, coexistence, type DeletedChain, joinCoexistence } from './coexist.js';
export {
  BAN_HOOKS,
  BAN_TABLE,
  BAN_UNTIL,
  type BanMode,
  banChains,
  banEntry,
  banJump,
  banRules,
  banRuleWith,
  isBanJump,
  parseBanEntry,
} from './compile/bans.js';
export { type CompileInput, type CompileOutput, compile, compileFamily } from './compile/index.js';
export { BAN_SETS, CHAINS, COMMENT_PREFIX, FLEET_CHAIN_PREFIX, originComment } from './compile/names.js';
export {
  type ChainDiff,
  type DiffLine,
  type DiffOptions,
  diff,
  type ForeignChainInfo,
  type RulesetDiff,
  type TableDiff,
} from './diff.js';
export { chainOwner, globMatch, isForeignChain, knownForeignOwner, ruleOwner } from './foreign.js';
export { checkLockout, lockoutProblems } from './lockout-guard.js';
export { type LockoutTarget, mergedLockout } from './lockout-merged.js';
export { liveAfter, managedTables, merge, mergeWith } from './merge.js';
export * from './model.js';
// Lower-level pieces other layers use (audit probes): stable, documented in docs/ruleset.md.
export { cidrContains, normalizeAddress } from './normalize/addresses.js';
export { type Block, type RuleParts, splitRule } from './normalize/groups.js';
export { normalize, normalizeArgs, normalizeRule, ruleKey } from './normalize.js';
export {
  type Claims,
  type ClaimsInput,
  isFleetRule,
  keepsChain,
  keepsRule,
  type Ownership,
  ownershipOf,
} from './ownership.js';
export { type ParseOptions, parseSave } from './parse.js';
export { planRestore, type RestorePlan } from './plan-restore.js';
export { type RenderOptions, renderRestore } from './render.js';
export { type RenderDiffOptions, renderDiff } from './render-diff.js';
export { simulate } from './simulate/index.js';
export { matchRule, type Packet, type Tri } from './simulate/match.js';
export { joinArgs, saveString, tokenize } from './tokens.js';
