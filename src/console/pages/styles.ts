import { readingFontStack } from '../../text/font-stack.js';

/** The console's stylesheet: plain, high-contrast, a visible focus ring, one column below 900px (tablets). */
export const consoleStyles = `
*,*::before,*::after{box-sizing:border-box}
html{font:16px/1.5 ${readingFontStack};color:#1d1d1f;background:#f6f7f9}
body{margin:0}
[hidden]{display:none!important}
.vh-label{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
a{color:#0b5394}
:focus-visible{outline:3px solid #f2b705;outline-offset:2px;box-shadow:0 0 0 5px #000}
.skip{position:absolute;left:-9999px;top:0}
.skip:focus{left:8px;top:8px;z-index:10;background:#fff;padding:6px 10px}
.top{display:flex;flex-wrap:wrap;align-items:center;gap:12px;padding:10px 16px;background:#1b3a4b;color:#fff}
.top .brand{font-weight:700;margin-inline-end:auto}
.top nav{display:flex;flex-wrap:wrap;align-items:center;gap:10px}
.top a{color:#fff}
.top select,.top button{min-height:40px}
.top select{width:auto}
main{padding:16px;max-width:1400px;margin:0 auto}
h1{font-size:1.6rem;margin:.2em 0 .6em}
h2{font-size:1.2rem;margin:1em 0 .4em}
button,input,select,textarea{font:inherit}
button{min-height:44px;padding:6px 14px;border:1px solid #1b3a4b;border-radius:6px;background:#fff;color:#1b3a4b;cursor:pointer}
button.primary{background:#1b3a4b;color:#fff}
button:disabled{opacity:.6;cursor:not-allowed}
label{display:block;font-weight:600;margin:.6em 0 .2em}
input,select,textarea{width:100%;min-height:44px;padding:8px;border:1px solid #767b84;border-radius:6px;background:#fff}
textarea{min-height:80px;resize:vertical}
.login{max-width:420px;margin:40px auto;background:#fff;padding:24px;border-radius:10px;border:1px solid #d5d8dd}
.login button{margin-top:16px;width:100%}
.error{color:#a61b1b;font-weight:600}
table{width:100%;border-collapse:collapse;background:#fff}
th,td{text-align:start;padding:8px;border-bottom:1px solid #d5d8dd;vertical-align:top}
.priority-urgent{color:#a61b1b;font-weight:700}
.wait-amber{background:#fff3cd;color:#5c4400}
.wait-red{background:#f8d7da;color:#6b1018;font-weight:700}
.urgent-banner{background:#a61b1b;color:#fff;font-weight:700;padding:.6rem .8rem;border-radius:4px;margin:0 0 .8rem}
.priority-high{color:#8a4b00;font-weight:700}
.queue tr.unread td{font-weight:700}
.unread-dot{display:inline-block;width:.6em;height:.6em;border-radius:50%;background:#2f6fdb;margin-inline-end:.4em}
.queue tr:focus{outline:3px solid #f2b705;outline-offset:-3px}
.check{display:flex;align-items:center;gap:8px}.check input{width:auto;min-height:24px}.check label{margin:.3em 0;font-weight:400}
dialog.shortcuts{border:1px solid #1b3a4b;border-radius:10px;padding:16px 20px;max-width:90vw}
dialog.shortcuts dl{display:grid;grid-template-columns:auto 1fr;gap:6px 16px}
dialog.shortcuts dd{margin:0}
kbd{font:inherit;font-family:monospace;border:1px solid #767b84;border-radius:4px;padding:0 6px;background:#f3f4f6}
.chat{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:16px}
@media (max-width:900px){.chat{grid-template-columns:minmax(0,1fr)}.queue td,.queue th{padding:6px 4px}}
.panel{background:#fff;border:1px solid #d5d8dd;border-radius:10px;padding:12px 16px}
.transcript{list-style:none;margin:0;padding:0;max-height:60vh;overflow:auto}
.transcript li{margin:8px 0;padding:8px 10px;border-radius:8px;background:#eef1f4}
.transcript li.client{background:#fff4d6}
.transcript li.counsellor{background:#dff0e3}
.transcript .meta{display:block;font-size:.85rem;color:#4a4f57}
.transcript .seen,.transcript .translated{white-space:pre-wrap;overflow-wrap:anywhere}
.transcript .translated{display:block;margin-top:4px;padding-top:4px;border-top:1px dashed #9aa0a8;color:#30343a}
.transcript .not-translated{display:block;margin-top:4px;font-size:.9em;color:#7a4a00}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.inline{display:flex;gap:8px;align-items:flex-end;flex-wrap:wrap}
.inline>div{flex:1 1 200px}
.record{font-size:.9rem;line-height:1.35}
.record h3{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:#4a4f57;margin:0 0 2px}
.card-facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:8px 16px}
@media (min-width:1100px){.chat{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}}
.card-group{break-inside:avoid}
.record dl{margin:0;display:grid;grid-template-columns:minmax(0,42%) minmax(0,1fr);gap:1px 8px}
.record dt{font-weight:600;color:#30343a;hyphens:auto;overflow-wrap:break-word}
.record dd{margin:0;overflow-wrap:break-word;min-width:0}
.record dd.wide{grid-column:1/-1}
.card-programmes{margin-top:10px}
.card-programmes ul{margin:2px 0;padding-inline-start:1.1rem}
.card-programmes .programmes>li{margin:2px 0}
.card-programmes .missing{margin:0;color:#4a4f57}
.card-programmes .outcome-eligible>strong{color:#1b6b2f}
.record details summary{cursor:pointer;min-height:24px}
.raw-record{margin-top:10px}
.raw-record pre{max-height:50vh;overflow:auto;background:#f3f4f6;padding:8px;font-size:.8rem;white-space:pre-wrap;overflow-wrap:anywhere}
.their-words{margin:0 0 12px}.their-words h3{font-size:1rem;margin:0 0 4px}.their-words blockquote{margin:0;padding:8px 12px;border-inline-start:4px solid #2f6fdb;background:#f3f6fb;white-space:pre-wrap;overflow-wrap:anywhere}
.notes{list-style:none;padding:0}
.notes li{border-bottom:1px solid #d5d8dd;padding:6px 0}
.notice{position:fixed;bottom:12px;left:50%;transform:translateX(-50%);max-width:90vw}
.notice:not(:empty){background:#1d1d1f;color:#fff;padding:10px 16px;border-radius:8px}
.typing{font-style:italic;color:#4a4f57;min-height:1.5em}
`;
