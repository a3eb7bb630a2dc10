/** The ruleset layer's public API (see docs/ruleset.md). */
export { BAN_HOOKS, type BanMode, banJump, banRules } from './compile/bans.js';
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
export { globMatch, isForeignChain, KNOWN_FOREIGN, knownForeignOwner } from './foreign.js';
export { checkLockout, lockoutProblems } from './lockout-guard.js';
export { managedTables, merge } from './merge.js';
export * from './model.js';
export { normalize, normalizeArgs, normalizeRule, ruleKey } from './normalize.js';
export { isFleetRule, isForeignRule } from './ownership.js';
export { type ParseOptions, parseSave } from './parse.js';
export { planRestore, type RestorePlan } from './plan-restore.js';
export { type RenderOptions, renderRestore } from './render.js';
export { type RenderDiffOptions, renderDiff } from './render-diff.js';
export { simulate } from './simulate/index.js';
