// The frame every sign-in page is served in: escaped text, one stylesheet allowed by its hash, no script at
// all, no framing, no referrer, no caching. A page here may hold a form that takes a Cloudflare token, so
// nothing on it may run code, be embedded elsewhere or linger in a cache.
import { NAME } from "../version.js";

const STYLE = [
  "body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#222}",
  "code,input{font-family:ui-monospace,monospace}",
  "input[type=password],input[type=text]{width:100%;box-sizing:border-box;padding:.4rem}",
  "label{display:block;margin:.8rem 0 .2rem}",
  ".note{color:#555;font-size:.9rem}",
  ".error{border-left:4px solid #b00;padding:.2rem .8rem;background:#fee}",
  ".warn{border-left:4px solid #c80;padding:.2rem .8rem;background:#ffe}",
  "button,.button{font-size:1rem;padding:.4rem 1rem;margin:1rem .5rem 0 0}",
].join("");

let styleSourceOnce: Promise<string> | undefined;

/** The CSP source that allows exactly the stylesheet above. */
function styleSource(): Promise<string> {
  styleSourceOnce ??= crypto.subtle
    .digest("SHA-256", new TextEncoder().encode(STYLE))
    .then((digest) => `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`);
  return styleSourceOnce;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface PageOptions {
  status?: number;
  /** Headers to send along (cookies of a consent transaction, say); the security headers here win. */
  headers?: Headers;
  /** Origins besides this one a form on the page may submit to, or be redirected to after submitting. */
  formTargets?: string[];
}

/** `body` is trusted markup: every value in it that came from a request or a client must be escaped. */
export async function htmlPage(title: string, body: string, options: PageOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  const formAction = ["'self'", ...(options.formTargets ?? [])].join(" ");
  headers.set(
    "content-security-policy",
    `default-src 'none'; style-src ${await styleSource()}; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
  );
  headers.set("content-type", "text/html; charset=utf-8");
  headers.set("x-frame-options", "DENY");
  headers.set("x-content-type-options", "nosniff");
  headers.set("referrer-policy", "no-referrer");
  headers.set("cache-control", "no-store");
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · ${NAME}</title><style>${STYLE}</style></head>
<body>
${body}
</body>
</html>
`;
  return new Response(html, { status: options.status ?? 200, headers });
}

/** A page that says what went wrong and what to do; `message` is plain text. */
export function errorPage(status: number, title: string, message: string): Promise<Response> {
  return htmlPage(title, `<h1>${escapeHtml(title)}</h1>\n<p class="error">${escapeHtml(message)}</p>`, {
    status,
  });
}
