/**
 * The ban script, per family: read the kernel once (iptables-save of the filter table, the set),
 * bring the set (mode ipset) or the chain's rules (mode rules) to what op asks, repair the chain
 * and its jumps where needed, and count what changed.
 */

/** One awk over iptables-save: `chain rules setrule jump-INPUT jump-FORWARD`, and -s CIDRs. */
const READ_KERNEL = `
read_kernel() {
  $ipt-save -t filter > "$tmp/save$f" 2>/dev/null || : > "$tmp/save$f"
  : > "$tmp/srules$f"
  awk -v set="$set" -v out="$tmp/srules$f" '
    $1 == ":FLEET-BANS" { chain = 1 }
    $1 == "-A" && $2 == "FLEET-BANS" {
      n++
      if ($3 == "-s") print $4 > out
      if (index($0, "--match-set " set " src") && $NF == "DROP") setrule = 1
    }
    $1 == "-A" && ($2 == "INPUT" || $2 == "FORWARD") && $NF == "FLEET-BANS" && $(NF - 1) == "-j" { jump[$2] = 1 }
    END { print chain + 0, n + 0, setrule + 0, jump["INPUT"] + 0, jump["FORWARD"] + 0 }' "$tmp/save$f" > "$tmp/k$f"
  read -r haschain nrules hassetrule jin jfw < "$tmp/k$f"
}
set_members() {
  if ipset save $set > "$tmp/raw$f" 2>/dev/null; then setexists=1; else setexists=0; fi
  awk '$1 == "add" { print $3 }' "$tmp/raw$f" > "$1"
}
`;

const IPSET = `
as_cidrs() { awk -v f="$f" '{ if (index($0, "/") == 0) $0 = $0 (f == 4 ? "/32" : "/128"); print }' | sort; }
swap_in() {
  l0=$(now_ms)
  ipset destroy $set-new 2>/dev/null
  { echo "create $set-new $setopt"; sed "s/^/add $set-new /" "$tmp/in$f"; } | ipset restore &&
    ipset swap $set-new $set && ipset destroy $set-new || fail "loading $set failed"
  load_ms=$((load_ms + $(now_ms) - l0))
}
ipset_apply() {
  set_members "$tmp/before$f"
  [ "$setexists" = 1 ] || ipset create -exist $set $setopt || fail "cannot create ipset $set"
  verb=add; [ "$op" = del ] && verb=del
  if [ "$op" = sync ]; then
    sort -u -o "$tmp/in$f" "$tmp/in$f"
    as_cidrs < "$tmp/before$f" | cmp -s - "$tmp/in$f" || swap_in
  else
    awk -v s=$set -v verb=$verb -v m="$tmp/srules$f" 'FILENAME == m { print "add " s " " $0; next } { print verb " " s " " $0 }' \\
      "$tmp/srules$f" "$tmp/in$f" | ipset restore -exist || fail "ipset $op on $set failed"
  fi
  set_members "$tmp/after$f"
  [ "$haschain" = 1 ] && [ "$nrules" = 1 ] && [ "$hassetrule" = 1 ] && return 0
  { echo '*filter'; echo ":$CHAIN - [0:0]"; echo "-A $CHAIN $setrule"; echo COMMIT; } > "$tmp/chain$f"
  applylock; $ipt-restore -w --noflush < "$tmp/chain$f" || fail "$ipt-restore of $CHAIN failed"
  chainchanged=1
}
`;

const RULES = `
rules_apply() {
  sort -u -o "$tmp/before$f" "$tmp/srules$f"
  sort -u -o "$tmp/in$f" "$tmp/in$f"
  case $op in
    add) sort -u "$tmp/before$f" "$tmp/in$f" ;;
    del) comm -23 "$tmp/before$f" "$tmp/in$f" ;;
    sync) cat "$tmp/in$f" ;;
  esac > "$tmp/after$f"
  [ "$haschain" = 1 ] && cmp -s "$tmp/after$f" "$tmp/before$f" && [ "$nrules" -eq "$(wc -l < "$tmp/after$f")" ] && return 0
  { echo '*filter'; echo ":$CHAIN - [0:0]"; sed "$RULE_SED" "$tmp/after$f"; echo COMMIT; } > "$tmp/chain$f"
  applylock; $ipt-restore -w --noflush < "$tmp/chain$f" || fail "$ipt-restore of $CHAIN failed"
  chainchanged=1
}
`;

const FAMILY = `
ensure_jumps() {
  for hook in $HOOKS; do
    if [ "$hook" = INPUT ]; then has=$jin; else has=$jfw; fi
    [ "$has" = 1 ] && continue
    applylock; $ipt -w -I $hook 1 $JUMP || fail "cannot insert the $CHAIN jump into $hook"
    chainchanged=1
  done
}
count_changes() {
  : > "$tmp/added$f"
  awk -v b="$tmp/before$f" -v out="$tmp/added$f" '
    FILENAME == b { was[$0] = 1; nb++; next }
    { na++; now[$0] = 1; if (!($0 in was)) { add++; print > out } }
    END { for (k in was) if (!(k in now)) rem++; print nb + 0, na + 0, add + 0, rem + 0 }' \\
    "$tmp/before$f" "$tmp/after$f" > "$tmp/n$f"
  read -r nb na nadd nrem < "$tmp/n$f"
  say "v\${f}_before" "$nb"; say "v\${f}_after" "$na"; say "v\${f}_added" "$nadd"; say "v\${f}_removed" "$nrem"
}
apply_family() {
  setfam "$1"; chainchanged=0
  read_kernel
  if [ "$mode" = ipset ]; then ipset_apply; else rules_apply; fi
  ensure_jumps
  count_changes
  [ "$chainchanged" = 1 ] || [ "$nadd" != 0 ] || [ "$nrem" != 0 ] && changed=yes
  [ "$nadd" != 0 ] || [ "$nrem" != 0 ] && setschanged="$setschanged $f"
  if [ "$f" = 4 ]; then cc4=$chainchanged; else cc6=$chainchanged; fi
}
`;

export const APPLY = [READ_KERNEL, IPSET, RULES, FAMILY].join('\n');
