// The landing page's style and its one script (the copy buttons). Both are constants, so the page's CSP
// allows exactly these two by hash and nothing else: no other inline code, no origin at all.

export const PAGE_STYLE = `
:root{color-scheme:light dark;--bg:#fbfbfc;--card:#fff;--text:#1b1f24;--muted:#57606a;--line:#d8dee4;--accent:#c2410c;--code:#f3f4f6;--ok:#116329;--no:#a40e26;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.55}
@media (prefers-color-scheme:dark){:root{--bg:#111318;--card:#1a1d24;--text:#e6e8eb;--muted:#a4adb8;--line:#333a45;--accent:#fb923c;--code:#0d0f13;--ok:#7ee2a0;--no:#ff9ea8}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font-size:16px}
main{max-width:860px;margin:0 auto;padding:32px 20px 48px}
header h1{font-size:28px;margin:0 0 4px;letter-spacing:-.01em}
header .version{color:var(--muted);font-size:14px;font-weight:400}
.lede{font-size:18px;margin:8px 0 0;color:var(--text)}
h2{font-size:20px;margin:36px 0 10px}
h3{font-size:16px;margin:18px 0 6px}
p{margin:8px 0}
.muted{color:var(--muted)}
a{color:var(--accent)}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;background:var(--code);padding:1px 5px;border-radius:4px;overflow-wrap:anywhere}
.problem{border:2px solid var(--no);color:var(--no);border-radius:10px;padding:12px 16px;margin-top:20px}
details{background:var(--card);border:1px solid var(--line);border-radius:10px;margin:8px 0}
summary{cursor:pointer;padding:10px 14px;font-weight:600}
summary:focus-visible,button:focus-visible,a:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.snippet{margin:0 14px 14px}
.snippet-head{display:flex;justify-content:space-between;align-items:center;gap:10px;margin:0 0 6px}
.snippet-head p{margin:0;font-size:14px;color:var(--muted)}
pre{margin:0;background:var(--code);border:1px solid var(--line);border-radius:8px;padding:12px 14px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:13px;line-height:1.5}
pre code{background:none;padding:0;font-size:inherit}
.copy{flex:none;font:inherit;font-size:12px;padding:3px 10px;border-radius:6px;border:1px solid var(--line);background:var(--card);color:var(--text);cursor:pointer}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:14px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:4px 16px}
.card h3{margin-top:12px}
ul{padding-left:20px;margin:8px 0}
li{margin:4px 0}
.will li::marker{content:"✓  ";color:var(--ok)}
.wont li::marker{content:"✗  ";color:var(--no)}
table{border-collapse:collapse;width:100%;font-size:14px}
td{border-top:1px solid var(--line);padding:8px 6px;vertical-align:top}
footer{margin-top:40px;padding-top:16px;border-top:1px solid var(--line);font-size:14px;color:var(--muted)}
@media (max-width:640px){main{padding:20px 14px 36px}.grid{grid-template-columns:1fr}header h1{font-size:23px}.lede{font-size:16px}table,tbody,tr,td{display:block}td{border:0;padding:2px 0}tr{border-top:1px solid var(--line);padding:8px 0}}
`;

export const PAGE_SCRIPT = `document.addEventListener("click",function(e){var b=e.target.closest&&e.target.closest("button[data-copy]");if(!b)return;var t=document.getElementById(b.getAttribute("data-copy")).textContent;var done=function(w){b.textContent=w;setTimeout(function(){b.textContent="Copy"},1500)};navigator.clipboard.writeText(t).then(function(){done("Copied")},function(){done("Select and copy")})});`;

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

let policy: Promise<string> | undefined;
/** The page's CSP: its own style and script by hash, nothing else from anywhere, and no framing. */
export function pagePolicy(): Promise<string> {
  policy ??= Promise.all([sha256(PAGE_STYLE), sha256(PAGE_SCRIPT)]).then(
    ([style, script]) =>
      `default-src 'none'; style-src 'sha256-${style}'; script-src 'sha256-${script}'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  );
  return policy;
}
