import { readingFontStack } from '../../../../text/font-stack.js';

/**
 * The widget's whole stylesheet, scoped by its shadow root. `:host { all: initial }` resets what the
 * page sets on the host; `.frame` sets every inherited property again, because a page rule on the host
 * (`* { color: red !important }`) beats `:host` and would otherwise be inherited inside.
 * Theme: `--hw-accent`, `--hw-on-accent` set on the host from the organisation's config.
 */
export const styles = `
:host{all:initial;--hw-accent:#1b5e8a;--hw-on-accent:#fff;--hw-bg:#fff;--hw-fg:#1d1d1f;--hw-muted:#5b5f66;--hw-line:#d5d8dd;--hw-bot:#eef1f4;--hw-focus:#f2b705}
.frame{font:16px/1.45 ${readingFontStack};color:var(--hw-fg);letter-spacing:normal;word-spacing:normal;text-transform:none;text-align:start;text-shadow:none;font-style:normal;font-weight:400;visibility:visible;cursor:auto}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
.vh{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
button,input,select,summary{font:inherit;color:inherit}
button,summary{cursor:pointer}
:focus-visible{outline:3px solid var(--hw-focus);outline-offset:2px;box-shadow:0 0 0 5px #000}
.launcher{position:fixed;bottom:20px;right:20px;z-index:2147483000;width:60px;height:60px;border:0;border-radius:50%;background:var(--hw-accent);color:var(--hw-on-accent);box-shadow:0 4px 14px rgba(0,0,0,.3);display:grid;place-items:center;transition:transform .15s}
.launcher:hover{transform:scale(1.06)}
.launcher svg{width:30px;height:30px;fill:currentColor}
.launcher .dot{position:absolute;top:6px;right:6px;width:14px;height:14px;border-radius:50%;background:#d92d20;border:2px solid #fff}
.left .launcher{right:auto;left:20px}
.panel{position:fixed;bottom:92px;right:20px;z-index:2147483001;width:min(400px,calc(100vw - 40px));height:min(640px,calc(100vh - 112px));display:flex;flex-direction:column;background:var(--hw-bg);border-radius:14px;box-shadow:0 8px 30px rgba(0,0,0,.28);overflow:hidden;animation:hw-in .18s ease-out}
.left .panel{right:auto;left:20px}
@keyframes hw-in{from{opacity:0;transform:translateY(12px)}}
header{display:flex;align-items:center;gap:8px;padding:10px 12px;background:var(--hw-accent);color:var(--hw-on-accent)}
h2{flex:1;margin:0;font-size:1.05em;font-weight:600;overflow-wrap:anywhere}
header select{max-width:7em;text-overflow:ellipsis;padding:4px 6px;border:1px solid currentColor;border-radius:6px;background:transparent;color:inherit}
header select option{color:#1d1d1f;background:#fff}
.icon-button{display:grid;place-items:center;min-width:40px;min-height:40px;padding:0;border:0;border-radius:8px;background:transparent}
.icon-button svg{width:22px;height:22px;fill:none;stroke:currentColor;stroke-width:2.2;stroke-linecap:round}
.status{padding:6px 12px;font-size:.9em;background:#fff4d6;color:#5c4300;border-bottom:1px solid #ecd9a0}
.log{flex:1 1 auto;min-height:4em;overflow-y:auto;margin:0;padding:12px;list-style:none;display:flex;flex-direction:column;gap:8px;overscroll-behavior:contain}
.log li{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}
.log .bot,.log .greeting{align-self:flex-start;background:var(--hw-bot);border-end-start-radius:4px}
.log .counsellor{background:var(--hw-bg);border:1px solid var(--hw-accent);border-inline-start-width:4px}
.who{display:block;margin-bottom:2px;font-size:.8em;font-weight:600;color:var(--hw-accent)}
.log .me{align-self:flex-end;background:var(--hw-accent);color:var(--hw-on-accent);border-end-end-radius:4px}
.log .event{align-self:center;max-width:100%;padding:2px 8px;font-size:.9em;color:var(--hw-muted);text-align:center}
.meta{display:block;margin-top:2px;font-size:.8em;opacity:.9}
.meta button{margin-inline-start:6px;padding:0 8px;border:1px solid currentColor;border-radius:6px;background:transparent}
.me.pending{opacity:.75}
.typing{padding:0 14px 6px;font-size:.9em;color:var(--hw-muted)}
.answers{position:relative;display:flex;flex-direction:column;flex-shrink:0;max-height:max(5.6em,18%)}
.choices{display:flex;flex-wrap:wrap;gap:6px;min-height:0;padding:2px 12px 8px;overflow-y:auto;overscroll-behavior:contain;scroll-behavior:smooth;scroll-padding-block:4px 30px}
.answers.above{box-shadow:inset 0 8px 6px -6px rgba(0,0,0,.25)}
.answers.below .choices{-webkit-mask-image:linear-gradient(#000 calc(100% - 22px),rgba(0,0,0,.15));mask-image:linear-gradient(#000 calc(100% - 22px),rgba(0,0,0,.15))}
.choices-more{position:absolute;bottom:4px;inset-inline-end:14px;display:flex;align-items:center;gap:2px;padding:1px 8px 1px 6px;border-radius:10px;background:var(--hw-accent);color:var(--hw-on-accent);font-size:.8em;font-weight:600;pointer-events:none}
.choices-more svg{width:14px;height:14px;fill:none;stroke:currentColor;stroke-width:3;stroke-linecap:round;stroke-linejoin:round}
.choices button{padding:7px 12px;border:2px solid var(--hw-accent);border-radius:18px;background:var(--hw-bg);color:var(--hw-accent);font-weight:600;text-align:start}
.choices button:hover{background:var(--hw-bot)}
.tools{display:flex;align-items:center;gap:6px;padding:5px 12px;border-top:1px solid var(--hw-line)}
.tools button,.tools summary{padding:5px 10px;border:1px solid var(--hw-line);border-radius:8px;background:var(--hw-bg);font-size:.92em;line-height:1.2;min-height:34px}
.handoff{min-width:0;font-weight:600;color:var(--hw-accent)!important;border-color:var(--hw-accent)!important}
.danger{flex:none;white-space:nowrap;font-weight:600;color:#a4161a!important;border-color:#a4161a!important}
details{position:relative;flex:none;margin-inline-start:auto}
summary{list-style:none}
summary::-webkit-details-marker{display:none}
.tools summary{display:grid;place-items:center;padding:0 8px}
.tools summary svg{width:22px;height:22px;fill:none;stroke:currentColor;stroke-width:3.2;stroke-linecap:round}
.menu{position:absolute;bottom:calc(100% + 4px);inset-inline-end:0;display:flex;flex-direction:column;gap:4px;padding:6px;background:var(--hw-bg);border:1px solid var(--hw-line);border-radius:8px;box-shadow:0 4px 14px rgba(0,0,0,.18);min-width:12em}
.menu button{text-align:start;border:0}
form{display:flex;gap:8px;padding:8px 12px 12px}
form input{flex:1;min-width:0;padding:9px 12px;border:1px solid #8a9099;border-radius:10px;background:#fff}
.send{background:var(--hw-accent);color:var(--hw-on-accent)}
.send svg{fill:currentColor;stroke:none}
[dir=rtl] .send svg{transform:scaleX(-1)}
@media (max-width:480px),(max-height:520px){.panel{inset:0;width:auto;height:auto;border-radius:0}.open .launcher{display:none}header{padding-block:6px}form{padding-block:6px 8px}}
@media (prefers-reduced-motion:reduce){*,*::before,*::after{animation:none!important;transition:none!important;scroll-behavior:auto!important}}
@media (forced-colors:active){.launcher,.panel,.choices button,.me{border:1px solid CanvasText}}
`;
