// Reads a posted sign-in form: URL-encoded (what a plain HTML form sends) and small. Anything else is refused
// before it is parsed.

const MAX_FORM_BYTES = 16 * 1024;

export type PostedForm = { kind: "ok"; fields: URLSearchParams } | { kind: "refused"; reason: string };

export async function readForm(request: Request): Promise<PostedForm> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    return {
      kind: "refused",
      reason: "Send the form from the sign-in page (application/x-www-form-urlencoded).",
    };
  }
  if (Number(request.headers.get("content-length") ?? "0") > MAX_FORM_BYTES) {
    return { kind: "refused", reason: `The form is over ${MAX_FORM_BYTES} bytes.` };
  }
  // Bytes, then UTF-8: workerd warns when .text() is asked of a body typed as a form.
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > MAX_FORM_BYTES)
    return { kind: "refused", reason: `The form is over ${MAX_FORM_BYTES} bytes.` };
  return { kind: "ok", fields: new URLSearchParams(new TextDecoder().decode(bytes)) };
}

/** A field's value with surrounding blanks removed; `undefined` when absent or blank. */
export function field(fields: URLSearchParams, name: string): string | undefined {
  const value = fields.get(name)?.trim();
  return value ? value : undefined;
}
