/**
 * What a finding advises, so that doing it clears the finding: when the rules `fleet apply`
 * would leave (the plan's restore: the profile's rules, other tools' kept) pass the check, the
 * live rules drifted and `fleet apply HOST` is the fix; when they fail it too, the profile is
 * what must change first. Pure.
 */
import type { Family, Ruleset } from '../../ruleset/index.js';
import type { AuditInput } from './types.js';

/** The ruleset of `family` the host would have after `fleet apply` (null: no ip6tables). */
export function afterApply(input: AuditInput, family: Family): Ruleset | null {
  return family === 4 ? input.plan.v4.restore.ruleset : (input.plan.v6?.restore.ruleset ?? null);
}

/** "`fleet apply web-01` puts the profile's rules back", or "<profile fix>, then `fleet apply web-01`". */
export function advice(
  input: AuditInput,
  family: Family,
  failing: (rs: Ruleset) => boolean,
  profileFix: string,
): string {
  const after = afterApply(input, family);
  const apply = `\`fleet apply ${input.host.name}\``;
  if (after && !failing(after)) return `${apply} puts the profile's rules back`;
  return `${profileFix} in profile ${input.profile.name}, then ${apply}`;
}
