/**
 * The ban script's one awk: it reads what the host has (the raw table of each family, fleet's
 * ipsets, the boot files) and the requested bans (stdin), validates every input line, and
 * writes what must change: `ipset restore` input, an `iptables-restore --noflush` repair per
 * family (jump first in PREROUTING, FLEET-BANS as it should be), the new boot files, the new
 * addresses (for conntrack), the host-held or kept bans, and one line of decisions for the
 * shell. One process for all the thinking, so a ban costs the host a handful of processes.
 *
 * stdin lines: `F CIDR TTL [UNTIL]`: F 4|6, CIDR canonical, TTL seconds (0 permanent; `x`:
 * listed but over, so a sync with keep lifts it too), UNTIL the epoch second it ends (rules mode
 * writes it into the rule's comment, as the compiler does; absent: now + TTL, the host's clock).
 * iptables-save quotes comments: lines are compared with their quotes removed (fleet's rule
 * texts contain no space inside a comment).
 *
 * Expiry in rules mode: a rule whose comment ends `,until=EPOCH` with EPOCH <= now (the host's
 * clock, read with POSIX awk's srand(): no process) is over; every op but `list` lifts it, and
 * the plan line ends with the earliest end still held, for the shell's timer (script.ts).
 */
import { AWK_NOW } from '../sections.js';

const PLAN_AWK = String.raw`
function member(f, c) { return index(c, "/") ? c : c (f == 4 ? "/32" : "/128") }
function unq(l) { gsub(/"/, "", l); return l }
function readsave(f, file,   l, w, t) {
  while ((getline l < file) > 0) {
    if (l ~ /^\*/) { t = substr(l, 2); if (t == "raw") hasraw[f] = 1; continue }
    if (t != "raw" || l == "COMMIT" || l ~ /^#/) continue
    raw[f, ++nraw[f]] = l; l = unq(l)
    if (l ~ /^:FLEET-BANS /) haschain[f] = 1
    else if (l ~ /^-A PREROUTING /) {
      npre[f]++
      if (l == "-A PREROUTING " jump) { njump[f]++; if (npre[f] == 1) jfirst[f] = 1 }
    } else if (l ~ /^-A FLEET-BANS /) {
      chain[f, ++nchain[f]] = l; split(l, w, " ")
      if (mode == "rules" && w[3] == "-s") hadrule(f, w[4], w[8])
    }
  }
  close(file)
}
function had(f, c, t) { if (!((f, c) in hto)) { hto[f, c] = t; hl[f, ++nh[f]] = c } }
# A rules-mode rule, its end read from its comment: over (lifted, except by list), or held.
function hadrule(f, c, cm,   i, u) {
  i = index(cm, untiltag); u = i ? substr(cm, i + length(untiltag)) + 0 : 0
  if (u && u <= now && op != "list") { nexpired++; return }
  had(f, c, u ? (u > now ? u - now : 1) : 0); hu[f, c] = u
}
function readsets(file,   l, w, f) {
  while ((getline l < file) > 0) {
    split(l, w, " "); f = w[2] == set[4] ? 4 : w[2] == set[6] ? 6 : 0
    if (!f) continue
    if (w[1] == "create") { setexists[f] = 1; settimeout[f] = index(l, " timeout ") > 0 }
    else if (w[1] == "add") had(f, member(f, w[3]), w[4] == "timeout" ? w[5] + 0 : 0)
  }
  close(file)
}
function readboot(f, file,   l, t, n, rc) {
  bootraw[f] = 0; n = 0
  while ((rc = getline l < file) > 0) {
    bootlines[f, ++nboot[f]] = l
    if (l ~ /^\*/) { t = substr(l, 2); if (t == "raw") bootraw[f] = 1; continue }
    if (t != "raw") continue
    l = unq(l)
    if (l == ":FLEET-BANS - [0:0]" || l ~ /^:FLEET-BANS /) bootchain[f] = 1
    if (l ~ /^-A PREROUTING / && !bootpre[f]++) bootjfirst[f] = (l == "-A PREROUTING " jump)
    if (l ~ /^-A FLEET-BANS /) bootrule[f, ++nbootrule[f]] = l
  }
  bootmissing[f] = (rc < 0 && nboot[f] == 0)
  close(file)
}
# The boot file of the sets: other tools' lines kept as they are; fleet's sets replayed (add and
# del lines in order, as ipset restore will at boot) into the members they give.
function readsetsboot(file,   l, w, f, c) {
  while ((getline l < file) > 0) {
    nbootsets++; split(l, w, " "); f = w[2] == set[4] ? 4 : w[2] == set[6] ? 6 : 0
    if (!f) { other[++nother] = l; continue }
    if (w[1] == "create") bootset[f] = (l == "create " set[f] " " setopt[f])
    c = member(f, w[3])
    if (w[1] == "add" && !((f, c) in bootmem)) { bootmem[f, c] = 1; nbm[f]++ }
    else if (w[1] == "del" && ((f, c) in bootmem)) { delete bootmem[f, c]; nbm[f]-- }
  }
  close(file)
}
# The boot file held what the kernel held before this run, family f (members; timeouts run down).
function bootsynced(f,   i) {
  if (!bootset[f] || nbm[f] != nh[f]) return 0
  for (i = 1; i <= nh[f]; i++) if (!((f, hl[f, i]) in bootmem)) return 0
  return 1
}
# An add or del of a few bans, on a boot file in step with the kernel and not overgrown, appends
# its changes to it (the shell appends with builtins: no mv); anything else rewrites it whole.
function setsappend(   f, i, c, out) {
  if ((op != "add" && op != "del") || swapped || nbootsets > 2 * (nh[4] + nh[6]) + 1000) return 0
  for (f = 4; f <= 6; f += 2) if ((f in fam) && !bootsynced(f)) return 0
  out = d "/setsappend"
  for (f = 4; f <= 6; f += 2) {
    if (!(f in fam)) continue
    for (i = 1; i <= nh[f]; i++) if (!((f, hl[f, i]) in final)) print "del " set[f] " " hl[f, i] > out
    for (i = 1; i <= nfl[f]; i++) {
      c = fl[f, i]; if (((f, c) in final) && !((f, c) in hto)) print "add " set[f] " " c " timeout " final[f, c] > out
    }
  }
  close(out); return 1
}
function qsort(A, lo, hi,   i, last, t) {
  if (lo >= hi) return
  t = A[lo]; A[lo] = A[int((lo + hi) / 2)]; A[int((lo + hi) / 2)] = t; last = lo
  for (i = lo + 1; i <= hi; i++) if (A[i] < A[lo]) { t = A[++last]; A[last] = A[i]; A[i] = t }
  t = A[lo]; A[lo] = A[last]; A[last] = t
  qsort(A, lo, last - 1); qsort(A, last + 1, hi)
}
function ruletext(c, u,   r) { r = ruletmpl; gsub(/@/, c, r); sub(/%/, u ? c untiltag u : c, r); return "-A FLEET-BANS " r }
# final[f, c] = timeout: the bans family f holds after op.
function decide(f,   i, c) {
  nfinal[f] = 0
  if (op != "sync") for (i = 1; i <= nh[f]; i++) keepit(f, hl[f, i], hto[f, hl[f, i]], hu[f, hl[f, i]])
  for (i = 1; i <= nw[f]; i++) {
    c = wl[f, i]
    if (op == "del" || want[f, c] == "x") { if ((f, c) in final) { delete final[f, c]; nfinal[f]-- } }
    else if (op != "list") keepit(f, c, want[f, c], wantu[f, c])
  }
  if (op == "sync" && keep == "keep") for (i = 1; i <= nh[f]; i++) {
    c = hl[f, i]
    if (!((f, c) in want)) { keepit(f, c, hto[f, c], hu[f, c]); print f, c, hto[f, c], hu[f, c] + 0 > (d "/list") }
  }
  if (op == "list") for (i = 1; i <= nh[f]; i++) print f, hl[f, i], hto[f, hl[f, i]], hu[f, hl[f, i]] + 0 > (d "/list")
}
# final[f, c] = timeout, fu[f, c] = its end (epoch s, rules mode; 0 permanent).
function keepit(f, c, t, u) {
  if (!((f, c) in final)) { nfinal[f]++; fl[f, ++nfl[f]] = c }
  final[f, c] = t; fu[f, c] = u + 0
}
# The earliest end among the rules-mode bans held after op (0: none), for the expiry timer.
function soonestend(   f, i, u) {
  for (f = 4; f <= 6; f += 2) for (i = 1; i <= nfl[f]; i++) {
    u = fu[f, fl[f, i]]; if (mode == "rules" && ((f, fl[f, i]) in final) && u && (!soonest || u < soonest)) soonest = u
  }
}
function count(f,   i, c, add, rem) {
  for (i = 1; i <= nfl[f]; i++) {
    c = fl[f, i]
    if (((f, c) in final) && !((f, c) in hto)) { add++; fresh[++nfresh] = ct[f] " " c }
  }
  for (i = 1; i <= nh[f]; i++) if (!((f, hl[f, i]) in final)) rem++
  added[f] = add + 0; removed[f] = rem + 0
  print "v" f "_before=" nh[f] + 0; print "v" f "_after=" (op == "list" ? nh[f] : nfinal[f]) + 0
  print "v" f "_added=" added[f]; print "v" f "_removed=" removed[f]
}
function setplan(f,   i, c, s, t, swap, upd) {
  s = set[f]
  if (!setexists[f]) { print "create " s " " setopt[f] > ipin; touched = 1; setschanged = 1 }
  swap = (setexists[f] && !settimeout[f]) || (op == "sync" && (added[f] || removed[f]))
  if (swap) {
    print "create " s "-new " setopt[f] "\nflush " s "-new" > ipin
    for (i = 1; i <= nfl[f]; i++) if ((f, fl[f, i]) in final) print "add " s "-new " fl[f, i] " timeout " final[f, fl[f, i]] > ipin
    print "swap " s "-new " s "\ndestroy " s "-new" > ipin; touched = 1; setschanged = 1; swapped = 1; return
  }
  for (i = 1; i <= nh[f]; i++) if (!((f, hl[f, i]) in final)) { print "del " s " " hl[f, i] > ipin; touched = 1 }
  for (i = 1; i <= nfl[f]; i++) {
    c = fl[f, i]; if (!((f, c) in final)) continue
    t = final[f, c]; upd = !((f, c) in hto) || (t == 0) != (hto[f, c] == 0) || t - hto[f, c] > 60 || hto[f, c] - t > 60
    if (upd) { print "add " s " " c " timeout " t > ipin; touched = 1 }
  }
  if (added[f] || removed[f]) setschanged = 1
}
# The FLEET-BANS rules family f must have, in order.
function wanted(f,   i, n, A) {
  if (mode == "ipset") { want_rules[f, 1] = "-A FLEET-BANS " setrule[f]; nwr[f] = 1; return }
  for (i = 1; i <= nfl[f]; i++) if ((f, fl[f, i]) in final) A[++n] = fl[f, i]
  qsort(A, 1, n); nwr[f] = n
  for (i = 1; i <= n; i++) want_rules[f, i] = ruletext(A[i], fu[f, A[i]])
}
function same(f, pre, cnt,   i) {
  if (cnt[f] != nwr[f]) return 0
  for (i = 1; i <= nwr[f]; i++) if (pre[f, i] != want_rules[f, i]) return 0
  return 1
}
function fixplan(f,   out, i) {
  chainfix[f] = !haschain[f] || !same(f, chain, nchain)
  jumpfix[f] = !(njump[f] == 1 && jfirst[f])
  if (!chainfix[f] && !jumpfix[f]) return
  out = d "/fix" f; print "*raw" > out
  if (chainfix[f]) { print ":FLEET-BANS - [0:0]" > out; for (i = 1; i <= nwr[f]; i++) print want_rules[f, i] > out }
  if (jumpfix[f]) { for (i = 1; i <= njump[f]; i++) print "-D PREROUTING " jump > out; print "-I PREROUTING 1 " jump > out }
  print "COMMIT" > out; close(out); fixed = fixed " " f
}
# The raw table as it is after the repair (for the boot file), from the kernel's dump.
function newraw(f, out,   i, i2, l, u, head, placed) {
  print "*raw" > out
  if (!hasraw[f]) print ":PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]" > out
  for (i = 1; i <= nraw[f] + 1; i++) {
    l = i <= nraw[f] ? raw[f, i] : "COMMIT"; u = unq(l)
    if (!head && (l ~ /^-A / || l == "COMMIT")) {
      head = 1; if (!haschain[f]) print ":FLEET-BANS - [0:0]" > out; print "-A PREROUTING " jump > out
    }
    if (u == "-A PREROUTING " jump) continue
    if (l ~ /^-A FLEET-BANS / || (l == "COMMIT" && !placed)) {
      if (!placed++) for (i2 = 1; i2 <= nwr[f]; i2++) print want_rules[f, i2] > out
      if (l != "COMMIT") continue
    }
    if (l !~ /^\*/) print l > out
  }
}
function bootplan(f,   ok, out, i, inraw) {
  ok = bootraw[f] && bootchain[f] && bootjfirst[f] && same(f, bootrule, nbootrule)
  if (ok) return 0
  if (bootmissing[f]) return 2
  out = boot[f] ".fleet-new"
  for (i = 1; i <= nboot[f]; i++) {
    if (bootlines[f, i] == "*raw") { inraw = 1; newraw(f, out); continue }
    if (inraw) { if (bootlines[f, i] == "COMMIT") inraw = 0; continue }
    print bootlines[f, i] > out
  }
  if (!bootraw[f]) newraw(f, out)
  close(out); return 1
}
# The new bans whose established flows the shell ends (conntrack -D). An IPv4 address is left
# out when the conntrack table, read here while it is small (no process), holds no flow from it:
# the raw drop needs no help, and the ban then starts no conntrack. Otherwise (a range, IPv6, a
# big or unreadable table) it stays in, as before.
function endflows(   i, n, l, s, src, w, rc, known) {
  if ((getline n < "/proc/sys/net/netfilter/nf_conntrack_count") > 0 && n + 0 <= 20000) {
    while ((rc = getline l < "/proc/net/nf_conntrack") > 0) {
      if (l !~ /^ipv4 /) continue
      i = index(l, " src="); if (!i) continue
      s = substr(l, i + 5); src[substr(s, 1, index(s, " ") - 1) "/32"] = 1
    }
    known = rc == 0; close("/proc/net/nf_conntrack")
  }
  for (i = 1; i <= nfresh; i++) {
    split(fresh[i], w, " ")
    if (known && w[1] == "ipv4" && w[2] ~ /\/32$/ && !(w[2] in src)) continue
    print fresh[i] > (d "/new")
  }
}
function setsboot(   out, i, f, c) {
  out = bootsets ".fleet-new"
  for (i = 1; i <= nother; i++) print other[i] > out
  for (f = 4; f <= 6; f += 2) {
    if (!(f in fam)) continue
    print "create " set[f] " " setopt[f] > out
    for (i = 1; i <= nfl[f]; i++) { c = fl[f, i]; if ((f, c) in final) print "add " set[f] " " c " timeout " final[f, c] > out }
  }
  close(out); return 1
}
BEGIN {
  set[4] = "fleet-bans4"; set[6] = "fleet-bans6"; ct[4] = "ipv4"; ct[6] = "ipv6"
  setopt[4] = setopt4; setopt[6] = setopt6; setrule[4] = setrule4; setrule[6] = setrule6
  boot[4] = boot4; boot[6] = boot6; ipin = d "/ipset"
  ${AWK_NOW}
  n = split(fams, w, " "); for (i = 1; i <= n; i++) fam[w[i]] = 1
  n = split(rawfams, w, " "); for (i = 1; i <= n; i++) rawfam[w[i]] = 1
  for (f in rawfam) { readsave(f, d "/k" f); if (op != "list") readboot(f, boot[f]) }
  if (mode == "ipset") { readsets(d "/sets"); readsetsboot(bootsets) }
}
$0 ~ /^4 [0-9.]+\/[0-9]+ ([0-9]+|x)( [0-9]+)?$/ || $0 ~ /^6 [0-9a-f:.]+\/[0-9]+ ([0-9]+|x)( [0-9]+)?$/ {
  if ($1 == 6 && !(6 in fam)) { exitcode = 3; exit 3 }
  if (!($1 in rawfam)) { exitcode = 4; exit 4 }
  if (!(($1, $2) in want)) wl[$1, ++nw[$1]] = $2
  want[$1, $2] = $3; wantu[$1, $2] = $3 == "x" || !$3 ? 0 : NF == 4 ? $4 + 0 : now + $3; next
}
{ exitcode = 2; exit 2 }
END {
  if (exitcode) exit exitcode
  for (f = 4; f <= 6; f += 2) {
    if (!(f in fam)) continue
    decide(f); count(f)
    if (op == "list") continue
    if (mode == "ipset") setplan(f)
    wanted(f); if (f in rawfam) fixplan(f)
    if (added[f] || removed[f]) kchanged = 1
  }
  if (nfresh <= 32) endflows()
  soonestend()
  if (op == "list") { print 0, 0, 0, 0, 0, 0, now, soonest + 0, 0 > (d "/plan"); exit }
  for (f = 4; f <= 6; f += 2) if (f in rawfam) bootneed[f] = bootplan(f)
  needsets = mode == "ipset" && (setschanged || !bootset[4] || ((6 in fam) && !bootset[6]))
  if (needsets) needsets = setsappend() ? 2 : setsboot()
  close(ipin)
  print (touched + 0), (needsets + 0), (bootneed[4] + 0), (bootneed[6] + 0), (kchanged || touched || fixed != "" ? 1 : 0), (swapped + 0), now, soonest + 0, nexpired + 0 > (d "/plan")
}`;

/** The shell function that runs it: `plan OP` after the kernel dumps are in $d. */
export const PLAN = `
plan_awk='${PLAN_AWK.replaceAll("'", "'\\''")}'
plan() {
  awk -v op="$op" -v mode="$mode" -v keep="$keep" -v fams="$fams" -v d="$d" -v jump="$JUMP" \\
    -v setrule4="$SETRULE4" -v setrule6="$SETRULE6" -v setopt4="$SETOPT4" -v setopt6="$SETOPT6" \\
    -v ruletmpl="$RULE_TMPL" -v untiltag="$UNTIL_TAG" -v boot4="$boot4" -v boot6="$boot6" -v bootsets="$bootsets" -v rawfams="$rawfams" "$plan_awk"
  case $? in
    0) ;;
    2) fail "refusing input: not one ban per line (family, CIDR, ttl)" ;;
    3) fail "ip6tables is not installed: cannot ban IPv6 addresses here" ;;
    4) fail "refusing input: a ban of a family its argument did not name" ;;
    *) fail "the ban plan failed on this host" ;;
  esac
}
`;
