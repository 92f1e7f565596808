// The failures a tool call can end in, before the Cloudflare client is involved. A leaf: it imports nothing,
// so every floor can throw these. src/core/present.ts turns them (and the client's) into tool results.

/** Arguments a model can fix: the text names the field and the fix. Nothing was sent. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Cloudflare answered success with a result this tool cannot vouch for; returning it would break the schema. */
export class UnexpectedAnswer extends Error {
  override name = "UnexpectedAnswer";
}

/** The user said no (or dismissed the question) through elicitation. */
export class ConfirmationDeclined extends Error {
  override name = "ConfirmationDeclined";
  constructor(readonly action: "decline" | "cancel") {
    super(action);
  }
}

/** The operator accepts only elicitation, and this client cannot elicit. */
export class ElicitationRequired extends Error {
  override name = "ElicitationRequired";
  constructor(readonly plan: string) {
    super(plan);
  }
}
