/** The HTML report's one inline style sheet: no fonts, images or scripts to fetch. */
export const HTML_STYLE = `
:root { color-scheme: light; --ok: #1b7f3a; --warning: #b35c00; --critical: #c0262d; --unknown: #6b6f76;
  --changed: #1f5fbf; --line: #d9dce1; --muted: #5b616b; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; padding: 16px; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1d2128; background: var(--bg); }
main { max-width: 1100px; margin: 0 auto; }
h1 { font-size: 1.4rem; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 24px 0 8px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
.meta { color: var(--muted); margin: 4px 0; overflow-wrap: anywhere; }
.stopped { background: #fff4e5; border-left: 4px solid var(--warning); padding: 8px 12px; margin: 8px 0; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; color: #fff; font-weight: 600;
  font-size: 0.85em; white-space: nowrap; background: var(--unknown); }
.run-state { font-size: 1rem; vertical-align: middle; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(120px, 1fr)); gap: 8px; margin: 16px 0; }
.card { background: #fff; border: 1px solid var(--line); border-top: 4px solid var(--unknown);
  border-radius: 8px; padding: 8px 12px; }
.card b { display: block; font-size: 1.6rem; line-height: 1.2; }
.card span { color: var(--muted); }
.statuses { color: var(--muted); }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eceef2; font-weight: 600; }
td.detail { overflow-wrap: anywhere; }
td.nw { white-space: nowrap; }
tr.h-critical td:first-child { box-shadow: inset 4px 0 var(--critical); }
tr.h-warning td:first-child { box-shadow: inset 4px 0 var(--warning); }
tr.h-unknown td:first-child { box-shadow: inset 4px 0 var(--unknown); }
tr.h-ok td:first-child { box-shadow: inset 4px 0 var(--ok); }
.h-critical .badge.health, .card.h-critical, .badge.h-critical { background: var(--critical); }
.h-warning .badge.health, .badge.h-warning { background: var(--warning); }
.h-ok .badge.health, .badge.h-ok { background: var(--ok); }
.card.h-critical { background: #fff; border-top-color: var(--critical); }
.card.h-warning { border-top-color: var(--warning); }
.card.h-ok { border-top-color: var(--ok); }
.s-ok, .s-unchanged { background: var(--ok); }
.s-changed { background: var(--changed); }
.s-failed, .s-unreachable, .s-rolled-back { background: var(--critical); }
.s-skipped { background: var(--unknown); }
.sev-critical { background: var(--critical); }
.sev-warning { background: var(--warning); }
.sev-info { background: var(--changed); }
details { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 8px 0; padding: 0 12px; }
summary { cursor: pointer; padding: 10px 0; font-weight: 600; overflow-wrap: anywhere; }
details > p { margin: 0 0 8px; overflow-wrap: anywhere; }
ul.findings { list-style: none; padding: 0; margin: 0 0 12px; }
ul.findings li { padding: 4px 0; border-top: 1px solid var(--line); overflow-wrap: anywhere; }
pre.diff { background: #f3f4f6; border-radius: 6px; padding: 8px; overflow-x: auto; margin: 0 0 12px; }
pre.diff span { display: block; white-space: pre; }
.d-add { color: #116329; background: #e6f4ea; }
.d-del { color: #a40e26; background: #fde8ea; }
.d-hunk { color: #5a32a3; }
.d-file { font-weight: 600; }
footer { color: var(--muted); margin: 24px 0 8px; font-size: 0.85em; }
@media (max-width: 640px) {
  body { padding: 10px; font-size: 14px; }
  table, thead, tbody, tr, td { display: block; width: 100%; }
  table { border: 0; background: transparent; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  tr { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 0 0 8px; padding: 4px 0; }
  td { border: 0; padding: 3px 10px 3px 40%; position: relative; min-height: 1.6em; }
  td::before { content: attr(data-label); position: absolute; left: 10px; width: calc(40% - 16px);
    color: var(--muted); font-weight: 600; }
  tr.h-critical, tr.h-warning, tr.h-unknown, tr.h-ok { border-left-width: 4px; }
  tr.h-critical { border-left-color: var(--critical); }
  tr.h-warning { border-left-color: var(--warning); }
  tr.h-ok { border-left-color: var(--ok); }
  tr td:first-child { box-shadow: none !important; }
}
`;
