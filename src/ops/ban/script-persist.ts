/**
 * The second half of the ban script: persist to the boot files, end established flows, report.
 * Boot rules files are edited, not regenerated: their FLEET-BANS rules are replaced by what the
 * kernel now holds, the chain and its jumps are added if missing, everything else stays as
 * `fleet apply` (or the admin) wrote it. The ipsets file gets fleet's sets, other sets kept.
 * ban/unban rewrite a file only when the kernel changed or the file lacks fleet's part; sync
 * always checks the files' whole text.
 */

/** awk program: $bans holds the kernel's `-A FLEET-BANS` lines, $jumps its jump lines. */
const SPLICE_AWK = `
NR == FNR {
  if ($0 ~ /^\\*/) t = substr($0, 2)
  if (t == "filter") hasfilter = 1
  if (t == "filter" && $1 == ":FLEET-BANS") hasdecl = 1
  if (t == "filter" && $1 == "-A" && $NF == "FLEET-BANS" && $(NF - 1) == "-j") hasjump[$2] = 1
  next
}
FNR == 1 {
  t = ""
  while ((getline l < bans) > 0) b[++nb] = l
  while ((getline l < jumps) > 0) { j[++nj] = l; split(l, w, " "); hook[nj] = w[2] }
}
/^\\*/ { t = substr($0, 2) }
t == "filter" && !head && ($1 == "-A" || $1 == "COMMIT") {
  head = 1
  if (!hasdecl) print ":FLEET-BANS - [0:0]"
  for (i = 1; i <= nj; i++) if (!hasjump[hook[i]]) print j[i]
}
t == "filter" && $1 == "-A" && $2 == "FLEET-BANS" { if (!placed) { placed = 1; for (i = 1; i <= nb; i++) print b[i] } next }
t == "filter" && $1 == "COMMIT" && !placed { placed = 1; for (i = 1; i <= nb; i++) print b[i] }
{ print }
END {
  if (hasfilter) exit
  print "*filter"; print ":FLEET-BANS - [0:0]"
  for (i = 1; i <= nj; i++) print j[i]
  for (i = 1; i <= nb; i++) print b[i]
  print "COMMIT"
}`;

const PERSIST = `
splice_awk='${SPLICE_AWK}'
install_file() {
  cmp -s "$1" "$2" && return 0
  mkdir -p "\${2%/*}" && cp "$1" "$2.fleet-new" && mv -f "$2.fleet-new" "$2" || fail "cannot write $2"
  written="$written $2"
}
persist_rules() {
  setfam "$1"
  if [ "$f" = 4 ]; then cc=$cc4; else cc=$cc6; fi
  [ "$op" != sync ] && [ "$cc" = 0 ] && grep -q '^:FLEET-BANS ' "$boot" 2>/dev/null && return 0
  $ipt-save -t filter > "$tmp/save$f" || fail "$ipt-save failed"
  grep '^-A FLEET-BANS ' "$tmp/save$f" > "$tmp/bans$f"
  awk '$1 == "-A" && ($2 == "INPUT" || $2 == "FORWARD") && $NF == "FLEET-BANS" && $(NF - 1) == "-j"' "$tmp/save$f" > "$tmp/jumps$f"
  if [ -f "$boot" ]; then
    awk -v bans="$tmp/bans$f" -v jumps="$tmp/jumps$f" "$splice_awk" "$boot" "$boot" > "$tmp/boot$f" || fail "cannot edit $boot"
  else
    $ipt-save | grep -v '^#' > "$tmp/boot$f"
  fi
  applylock; install_file "$tmp/boot$f" "$boot"
}
# A set as the boot file keeps it: stable text (the kernel's hash size, seed and member order
# change behind our back), so a sync of an unchanged set never rewrites the file.
saved_set() {
  ipset save $set > "$tmp/saved" 2>/dev/null || return 0
  sed -n '/^create /p' "$tmp/saved" | sed -E 's/ (hashsize|bucketsize|initval) [^ ]+//g'
  grep '^add ' "$tmp/saved" | sort
}
persist_sets() {
  need=$setschanged
  for f in $todo; do setfam "$f"; grep -q "^create $set " "$bootsets" 2>/dev/null || need="$need $f"; done
  [ "$op" = sync ] || [ -n "$need" ] || return 0
  { [ -f "$bootsets" ] && awk '!(($1 == "create" || $1 == "add") && ($2 == "fleet-bans4" || $2 == "fleet-bans6"))' "$bootsets"
    for f in $fams; do setfam "$f"; saved_set; done; } > "$tmp/sets"
  install_file "$tmp/sets" "$bootsets"
}
end_flows() {
  ct=0
  for f in $todo; do
    setfam "$f"
    if [ "$mode" = ipset ] && [ "$(wc -l < "$tmp/added$f")" -gt 32 ]; then
      conntrack -L -f $ctf 2>/dev/null | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^src=/) { print substr($i, 5); break } }' |
        sort -u | while read -r a; do ipset test $set "$a" 2>/dev/null && echo "$a"; done > "$tmp/ct$f"
    else
      cp "$tmp/added$f" "$tmp/ct$f"
    fi
    while read -r a; do
      n=$(conntrack -D -f $ctf -s "$a" 2>&1 >/dev/null | sed -n 's/.*: \\([0-9][0-9]*\\) flow entries.*/\\1/p')
      ct=$((ct + \${n:-0}))
    done < "$tmp/ct$f"
  done
  say conntrack_deleted "$ct"
}
`;

const MAIN = `
t0=$(now_ms)
for f in $todo; do apply_family "$f"; done
say apply_ms $(($(now_ms) - t0))
say load_ms "$load_ms"
for f in $todo; do read -r nb na nadd nrem < "$tmp/n$f"; persist_rules "$f"; done
[ "$mode" = ipset ] && [ -n "$todo" ] && persist_sets
[ -n "$written" ] && changed=yes
say persisted "\${written# }"
if have conntrack; then end_flows; else say conntrack_deleted absent; fi
say changed "$changed"
say host_ms $(($(now_ms) - t0))
section ban
cat "$tmp/out"
section end
`;

export { MAIN, PERSIST };
