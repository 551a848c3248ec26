/**
 * The style sheet and the small script inlined into the HTML report, so the
 * page needs no network and no other file. The script only shows and hides
 * panels the page already holds: it never builds markup from text.
 */

export const REPORT_CSS = `
:root {
  --ink: #1f2328; --muted: #59636e; --line: #d8dee4; --paper: #ffffff; --page: #f6f8fa; --accent: #0b57d0;
  --verified: #1a7f37; --verified-bg: #dafbe1;
  --mismatch: #cf222e; --mismatch-bg: #ffebe9;
  --unsourced: #bc4c00; --unsourced-bg: #fff1e5;
  --paraphrase: #8250df; --paraphrase-bg: #fbefff;
  --contradicted: #cf222e; --contradicted-bg: #ffebe9;
  --unchecked: #6e7781; --unchecked-bg: #f6f8fa;
  --cited: #0b57d0; --cited-bg: #ddf4ff;
  --unknown-key: #bc4c00; --unknown-key-bg: #fff1e5;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--page); color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.top { background: #0d1117; color: #f0f6fc; padding: 18px 32px 16px; }
header.top h1 { margin: 0; font-size: 20px; font-weight: 600; letter-spacing: .2px; }
header.top h1 .brand { color: #7ee2a8; font-weight: 700; margin-right: 10px; }
header.top .meta { margin-top: 4px; color: #9198a1; font-size: 13px; }
main { max-width: 1360px; margin: 0 auto; padding: 20px 32px 40px; }
section.card { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; padding: 16px 20px; margin-bottom: 20px; }
h2 { font-size: 15px; margin: 0 0 10px; text-transform: uppercase; letter-spacing: .6px; color: var(--muted); font-weight: 600; }
.summary-grid { display: grid; grid-template-columns: minmax(320px, 1fr) minmax(420px, 1.6fr); gap: 20px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .4px; }
td.n { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; width: 3em; }
tr.zero td { color: #8c959f; }
tr.zero td.n { font-weight: 400; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 8px; vertical-align: -1px; border: 2px solid; }
.problems tr[data-item] { cursor: pointer; }
.problems tr[data-item]:hover td { background: #f3f6f9; }
.problems td:nth-child(3) { white-space: nowrap; }
.problems td.where { white-space: nowrap; color: var(--muted); font-variant-numeric: tabular-nums; }
.sev { display: inline-block; font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .4px; padding: 1px 6px; border-radius: 9px; }
.sev-error { background: var(--mismatch-bg); color: var(--mismatch); }
.sev-warning { background: #fff8c5; color: #9a6700; }
.sev-information { background: var(--cited-bg); color: var(--cited); }
.sev-hint { background: var(--unchecked-bg); color: var(--unchecked); }
code, .code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.none { color: var(--muted); font-style: italic; }
.workspace { display: grid; grid-template-columns: minmax(0, 1.15fr) minmax(360px, 1fr); gap: 20px; align-items: start; }
.draft { font-family: Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif; font-size: 17px; line-height: 1.75; white-space: pre-wrap; overflow-wrap: anywhere; padding: 22px 28px; }
.draft .heading { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-weight: 700; font-size: 1.12em; }
.draft .aside { display: inline-block; color: #8c959f; font-size: 13px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; line-height: 1.5; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: 13px; color: var(--muted); margin: 0 0 12px; font-family: system-ui, sans-serif; white-space: normal; }
mark.hl { background: var(--bg); color: inherit; border-bottom: 2px solid var(--fg); border-radius: 3px; padding: 1px 1px; cursor: pointer; transition: box-shadow .12s; }
mark.hl:hover, mark.hl:focus { outline: none; box-shadow: 0 0 0 2px var(--fg); }
mark.hl.selected { box-shadow: 0 0 0 2px var(--fg), 0 0 0 5px var(--bg); }
mark.figure { border-bottom-style: double; border-bottom-width: 3px; }
mark.citation { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .82em; }
mark.v-unchecked { border-bottom-style: dotted; }
mark.v-unknown-key { text-decoration: wavy underline var(--fg); text-underline-offset: 4px; border-bottom: none; }
.v-verified { --fg: var(--verified); --bg: var(--verified-bg); }
.v-mismatch { --fg: var(--mismatch); --bg: var(--mismatch-bg); }
.v-unsourced { --fg: var(--unsourced); --bg: var(--unsourced-bg); }
.v-paraphrase { --fg: var(--paraphrase); --bg: var(--paraphrase-bg); }
.v-contradicted { --fg: var(--contradicted); --bg: var(--contradicted-bg); }
.v-unchecked { --fg: var(--unchecked); --bg: var(--unchecked-bg); }
.v-cited { --fg: var(--cited); --bg: var(--cited-bg); }
.v-unknown-key { --fg: var(--unknown-key); --bg: var(--unknown-key-bg); }
.swatch { background: var(--bg); border-color: var(--fg); }
.panel { position: sticky; top: 16px; max-height: calc(100vh - 32px); overflow: auto; }
.panel .hint { color: var(--muted); }
.detail h3 { margin: 0 0 6px; font-size: 16px; display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.badge { display: inline-block; font-size: 12px; font-weight: 700; padding: 2px 9px; border-radius: 11px; color: #fff; background: var(--fg); letter-spacing: .3px; }
.detail .where { color: var(--muted); font-size: 13px; font-weight: 400; }
.detail blockquote.said { margin: 8px 0 12px; padding: 8px 12px; border-left: 4px solid var(--fg); background: var(--bg); font-family: Charter, Cambria, Georgia, serif; font-size: 16px; border-radius: 0 6px 6px 0; }
.detail blockquote.said b { font-weight: 700; background: #ffffffa0; }
.finding { margin: 8px 0; padding: 8px 10px; border: 1px solid var(--line); border-radius: 8px; background: #fbfcfd; }
.finding .msg { margin-top: 4px; white-space: pre-wrap; }
.fix { margin-top: 6px; font-size: 14px; }
.fix .fixtext { font-family: Charter, Cambria, Georgia, serif; background: var(--verified-bg); padding: 1px 4px; border-radius: 4px; }
.diff { margin: 10px 0; padding: 8px 12px; border: 1px solid var(--line); border-radius: 8px; font-family: Charter, Cambria, Georgia, serif; font-size: 16px; line-height: 1.6; }
.diff .role { font-family: system-ui, sans-serif; font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .5px; color: var(--muted); margin-bottom: 2px; }
.diff del { background: var(--mismatch-bg); color: var(--mismatch); text-decoration: line-through; text-decoration-thickness: 2px; padding: 0 2px; border-radius: 3px; }
.diff ins { background: var(--verified-bg); color: var(--verified); text-decoration: none; border-bottom: 2px solid var(--verified); padding: 0 2px; border-radius: 3px; }
.sources { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 12px; margin-top: 10px; }
.source { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; background: #fff; display: flex; flex-direction: column; gap: 6px; }
.source .role { font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .5px; color: var(--muted); }
.source .outlet { font-weight: 700; }
.source .date { color: var(--muted); font-size: 13px; }
.source .title { font-size: 13px; }
.source .passage { font-family: Charter, Cambria, Georgia, serif; font-size: 15px; line-height: 1.55; background: #f6f8fa; padding: 6px 8px; border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
.source .passage b { background: #fff8c5; font-weight: 700; }
.source .cite, .source .file { font-size: 12px; color: var(--muted); }
.sources-list td.key { white-space: nowrap; }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 10px; }
@media (max-width: 900px) { .workspace, .summary-grid { grid-template-columns: 1fr; } .panel { position: static; max-height: none; } main { padding: 12px; } }
@media print { .panel { position: static; max-height: none; } }
`;

export const REPORT_JS = `
(function () {
  var current = null;
  function select(id, scroll) {
    var detail = document.getElementById('detail-' + id);
    if (!detail) return;
    var all = document.querySelectorAll('.detail');
    for (var i = 0; i < all.length; i++) all[i].hidden = true;
    var empty = document.getElementById('detail-empty');
    if (empty) empty.hidden = true;
    detail.hidden = false;
    if (current) { var old = document.querySelectorAll('mark[data-item="' + current + '"]'); for (var j = 0; j < old.length; j++) old[j].classList.remove('selected'); }
    current = id;
    var marks = document.querySelectorAll('mark[data-item="' + id + '"]');
    for (var k = 0; k < marks.length; k++) marks[k].classList.add('selected');
    if (scroll && marks[0]) marks[0].scrollIntoView({ block: 'center', behavior: 'smooth' });
    if (window.matchMedia('(max-width: 900px)').matches) detail.scrollIntoView({ block: 'start' });
    if (history.replaceState) history.replaceState(null, '', '#item-' + id);
  }
  document.addEventListener('click', function (event) {
    var target = event.target.closest ? event.target.closest('[data-item]') : null;
    if (!target) return;
    event.preventDefault();
    select(target.getAttribute('data-item'), target.tagName !== 'MARK');
  });
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    var target = event.target.closest ? event.target.closest('[data-item]') : null;
    if (!target) return;
    event.preventDefault();
    select(target.getAttribute('data-item'), target.tagName !== 'MARK');
  });
  var match = /^#item-(\\d+)$/.exec(location.hash);
  if (match) select(match[1], true);
})();
`;
