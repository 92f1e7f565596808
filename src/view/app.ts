// The certificate dashboard, an MCP App: shows the zone (or fleet) a tool result describes and acts through
// the host's tools/call. A destructive action first asks the server for its plan, shows it as text, and sends
// the plan's confirm value only when the user confirms here; the host's own approval, if any, still applies.
import { HostBridge, type HostContext, type ToolResult } from "./bridge.js";
import { h } from "./dom.js";
import { absorb, apexOf, type DashboardState, type Pack } from "./model.js";
import {
  type Actions,
  findingsSection,
  fleetSection,
  packsSection,
  recordsSection,
  timelineSection,
} from "./render.js";
import { zoneActionsSection } from "./zone-actions.js";

type Args = Record<string, unknown>;
interface Approval {
  confirm: string;
  plan: string;
  expires_at?: string;
}

const bridge = new HostBridge(window.parent);
const main = document.getElementById("app") as HTMLElement;
const statusLine = document.getElementById("status") as HTMLElement;
let state: DashboardState = {};
let context: HostContext = {};
/** The plan waiting for the user, and where it shows: next to what asked for it (a pack, or the zone actions). */
let pendingApproval:
  | { label: string; tool: string; args: Args; approval: Approval; place: string }
  | undefined;

function say(text: string, tone: "info" | "error" = "info"): void {
  statusLine.textContent = text;
  statusLine.dataset.tone = tone;
}

const textOf = (result: ToolResult) =>
  (result.content ?? [])
    .map((c) => c.text ?? "")
    .filter(Boolean)
    .join("\n");

async function call(tool: string, args: Args): Promise<ToolResult | undefined> {
  try {
    const result = await bridge.callTool(tool, args);
    if (result.isError) say(textOf(result) || `${tool} failed`, "error");
    return result;
  } catch (error) {
    say(`${tool}: ${error instanceof Error ? error.message : String(error)}`, "error");
    return undefined;
  }
}

/** Reads the zone again; answers whether both reads succeeded (a failure is already on the status line). */
async function refresh(): Promise<boolean> {
  const zone = state.zoneId;
  if (!zone) return false;
  say("Refreshing…");
  const [triage, packs] = await Promise.all([
    call("triage_certificates", { zone_id: zone }),
    call("list_certificate_packs", { zone_id: zone, status: "all", all_pages: true }),
  ]);
  for (const result of [triage, packs])
    if (result && !result.isError) state = absorb(state, result.structuredContent);
  draw();
  const fresh = Boolean(triage && !triage.isError && packs && !packs.isError);
  if (fresh) say(`Updated ${new Date().toLocaleTimeString()}`);
  return fresh;
}

/** Runs an action; one that answers with a plan waits for the user's confirmation in the page. */
async function run(label: string, tool: string, args: Args, place = "zone"): Promise<void> {
  say(`${label}…`);
  const result = await call(tool, args);
  if (!result || result.isError) return;
  const approval = (result.structuredContent as { approval?: Approval } | undefined)?.approval;
  if (approval?.confirm) {
    pendingApproval = { label, tool, args, approval, place };
    say("Review the plan below.");
    draw();
    document.getElementById("approval-title")?.focus();
    return;
  }
  if (await refresh()) say(`${label}: done. Updated ${new Date().toLocaleTimeString()}`);
}

function approvalPanel(place: string): HTMLElement | null {
  if (pendingApproval?.place !== place) return null;
  const { label, tool, args, approval } = pendingApproval;
  const close = () => {
    pendingApproval = undefined;
    draw();
  };
  return h(
    "section",
    { class: "approval", role: "region", "aria-labelledby": "approval-title" },
    h("h2", { id: "approval-title", tabindex: "-1" }, `Approve: ${label}?`),
    h("p", {}, "The server says this would happen (nothing has been changed yet):"),
    h("p", { class: "plan" }, approval.plan),
    approval.expires_at
      ? h("p", { class: "muted" }, `This approval is valid until ${approval.expires_at}, once.`)
      : null,
    h(
      "div",
      { class: "actions" },
      h(
        "button",
        {
          type: "button",
          class: "danger",
          onclick: () => {
            close();
            void run(label, tool, { ...args, confirm: approval.confirm }, place);
          },
        },
        `Confirm: ${label}`,
      ),
      h(
        "button",
        {
          type: "button",
          onclick: () => {
            close();
            say(`${label}: cancelled, nothing was changed.`);
          },
        },
        "Cancel",
      ),
    ),
  );
}

const actions: Actions = {
  openZone(zoneId) {
    state = { ...state, zoneId, triage: undefined, packs: undefined };
    void refresh();
  },
  restartValidation: (pack: Pack) =>
    void run("Restart validation", "restart_certificate_pack_validation", {
      zone_id: state.zoneId,
      certificate_pack_id: pack.id,
    }),
  changeMethod: (pack: Pack, method: string) =>
    void run(`Change validation method to ${method}`, "update_ssl_verification_method", {
      zone_id: state.zoneId,
      certificate_pack_id: pack.id,
      validation_method: method,
    }),
  deletePack: (pack: Pack) =>
    void run(
      `Delete ${pack.type} pack ${pack.id}`,
      "delete_certificate_pack",
      { zone_id: state.zoneId, certificate_pack_id: pack.id },
      `pack:${pack.id}`,
    ),
  approvalAt: approvalPanel,
};

function toolbar(): HTMLElement {
  const modes = context.availableDisplayModes ?? [];
  const fullscreen = context.displayMode === "fullscreen";
  return h(
    "div",
    { class: "toolbar" },
    h(
      "h1",
      {},
      apexOf(state.packs) ?? "Certificates",
      state.zoneId ? h("span", { class: "muted zone-id" }, ` · zone ${state.zoneId}`) : null,
    ),
    state.triage
      ? h(
          "span",
          { class: `pill ${state.triage.healthy ? "ok" : "bad"}` },
          state.triage.healthy ? "healthy" : "needs care",
        )
      : null,
    h("span", { class: "spacer" }),
    state.zoneId ? h("button", { type: "button", onclick: () => void refresh() }, "Refresh") : null,
    modes.includes("fullscreen")
      ? h(
          "button",
          { type: "button", onclick: () => void requestMode(fullscreen ? "inline" : "fullscreen") },
          fullscreen ? "Exit full screen" : "Full screen",
        )
      : null,
  );
}

async function requestMode(mode: string): Promise<void> {
  const result = await bridge.request("ui/request-display-mode", { mode }).catch(() => undefined);
  if (typeof result?.mode === "string")
    applyContext({ displayMode: result.mode as HostContext["displayMode"] });
}

function draw(): void {
  const now = Date.now();
  const sections = [
    toolbar(),
    state.fleet ? fleetSection(state.fleet, actions) : null,
    state.zoneId || state.triage ? findingsSection(state) : null,
    recordsSection(state),
    state.packs ? timelineSection(state.packs, now) : null,
    state.packs ? packsSection(state.packs, now, actions) : null,
    state.zoneId && state.packs
      ? zoneActionsSection(state.zoneId, state.packs, (l, t, a) => void run(l, t, a), approvalPanel("zone"))
      : null,
  ];
  main.replaceChildren(...sections.filter((s): s is HTMLElement => s !== null));
}

function applyContext(update: HostContext): void {
  context = { ...context, ...update };
  const root = document.documentElement;
  if (context.theme) root.dataset.theme = context.theme;
  root.dataset.mode = context.displayMode ?? "inline";
  for (const [name, value] of Object.entries(update.styles?.variables ?? {})) {
    if (value && name.startsWith("--")) root.style.setProperty(name, value);
  }
  draw();
}

bridge.on("ui/notifications/tool-input", (params) => {
  const args = (params.arguments ?? {}) as Args;
  if (typeof args.zone_id === "string") state = { ...state, zoneId: args.zone_id };
  say("Waiting for the result…");
  draw();
});
bridge.on("ui/notifications/tool-result", (params) => {
  const result = params as ToolResult;
  if (result.isError) {
    say(textOf(result) || "The tool failed.", "error");
    return;
  }
  state = absorb(state, result.structuredContent);
  // A fleet's result covers many zones: the list is shown and one opens when the user picks it.
  if (state.fleet) state = { ...state, zoneId: undefined };
  draw();
  say("");
  // One tool brings findings, the other the packs: the dashboard reads the half it was not handed.
  if (state.zoneId && (!state.triage || !state.packs)) void refresh();
});
bridge.on("ui/notifications/host-context-changed", (params) => applyContext(params as HostContext));

new ResizeObserver(() => {
  const { scrollWidth: width, scrollHeight: height } = document.documentElement;
  bridge.notify("ui/notifications/size-changed", { width, height });
}).observe(document.body);

bridge
  .initialize("cloudflare-ssl-dashboard", "1")
  .then(applyContext)
  .catch((error: Error) => say(`Could not connect to the host: ${error.message}`, "error"));
draw();
