// The dashboard's sections, drawn from the state. Actions are handed in, so drawing stays free of protocol.
import { copyText, daysUntil, formatDate, h } from "./dom.js";
import {
  awaitsValidation,
  type DashboardState,
  type Finding,
  type FleetZone,
  isOrderedPack,
  type Pack,
  recordsToPublish,
  SEVERITIES,
} from "./model.js";

export interface Actions {
  openZone(zoneId: string): void;
  restartValidation(pack: Pack): void;
  changeMethod(pack: Pack, method: string): void;
  deletePack(pack: Pack): void;
  /** The plan waiting for approval, if it belongs at `place`. */
  approvalAt(place: string): HTMLElement | null;
}

const VALIDATION_METHODS = ["txt", "http", "cname", "email"];

function statusClass(status: string): string {
  if (status === "active") return "ok";
  if (/timed_out|failed|expired|deleted|revoked/.test(status)) return "bad";
  return "warn";
}

export function fleetSection(zones: FleetZone[], actions: Actions): HTMLElement {
  return h(
    "section",
    { "aria-labelledby": "fleet-title" },
    h("h2", { id: "fleet-title" }, `Zones (${zones.length})`),
    h(
      "ul",
      { class: "zones" },
      zones.map((zone) => {
        const id = String(zone.zone_id ?? zone.id ?? "");
        const counts = SEVERITIES.filter((s) => (zone.counts?.[s] ?? 0) > 0)
          .map((s) => `${zone.counts?.[s]} ${s}`)
          .join(", ");
        return h(
          "li",
          { class: "zone" },
          h(
            "span",
            { class: `pill ${zone.healthy ? "ok" : "bad"}` },
            zone.healthy ? "healthy" : "needs care",
          ),
          h("strong", {}, zone.name ?? id),
          h("span", { class: "muted" }, counts || zone.summary || ""),
          id
            ? h("button", { type: "button", onclick: () => actions.openZone(id) }, `Open ${zone.name ?? id}`)
            : null,
        );
      }),
    ),
  );
}

export function findingsSection(state: DashboardState): HTMLElement {
  const findings = state.triage?.findings ?? [];
  const groups = SEVERITIES.map(
    (severity) => [severity, findings.filter((f) => f.severity === severity)] as const,
  ).filter(([, list]) => list.length > 0);
  return h(
    "section",
    { "aria-labelledby": "findings-title" },
    h("h2", { id: "findings-title" }, "Findings"),
    state.triage
      ? h("p", { class: "summary" }, state.triage.summary)
      : h("p", { class: "muted" }, "Loading…"),
    groups.map(([severity, list]) =>
      h(
        "div",
        { class: "severity-group" },
        h("h3", {}, h("span", { class: `sev sev-${severity}` }, severity), ` ${list.length}`),
        h("ul", { class: "findings" }, list.map(findingItem)),
      ),
    ),
  );
}

function findingItem(finding: Finding): HTMLElement {
  const next = finding.next_action;
  return h(
    "li",
    { class: "finding" },
    h("p", {}, finding.summary),
    next?.tool ? h("p", { class: "muted" }, "Next: ", h("code", {}, next.tool)) : null,
    next?.do ? h("p", { class: "muted" }, next.do) : null,
  );
}

export function recordsSection(state: DashboardState): HTMLElement | null {
  const records = recordsToPublish(state.triage);
  if (!records.length) return null;
  return h(
    "section",
    { "aria-labelledby": "records-title" },
    h("h2", { id: "records-title" }, "DNS records to publish"),
    h(
      "table",
      {},
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, "Type"),
          h("th", { scope: "col" }, "Name"),
          h("th", { scope: "col" }, "Value"),
        ),
      ),
      h(
        "tbody",
        {},
        records.map((record) =>
          h(
            "tr",
            {},
            h("td", {}, record.type),
            h("td", {}, h("code", {}, record.name), " ", copyButton(record.name, `Copy name ${record.name}`)),
            h(
              "td",
              {},
              h("code", {}, record.value),
              " ",
              copyButton(record.value, `Copy value for ${record.name}`),
            ),
          ),
        ),
      ),
    ),
  );
}

function copyButton(text: string, label: string): HTMLElement {
  const button = h("button", { type: "button", class: "small", "aria-label": label }, "Copy");
  button.addEventListener("click", async () => {
    button.textContent = (await copyText(text)) ? "Copied" : "Select and copy";
    setTimeout(() => {
      button.textContent = "Copy";
    }, 1500);
  });
  return button;
}

export function timelineSection(packs: Pack[], now: number): HTMLElement {
  const dated = packs
    .filter((p) => p.expires_on)
    .sort((a, b) => Date.parse(a.expires_on ?? "") - Date.parse(b.expires_on ?? ""));
  const span = Math.max(90, ...dated.map((p) => daysUntil(p.expires_on ?? "", now)));
  const undated = packs.length - dated.length;
  return h(
    "section",
    { "aria-labelledby": "timeline-title" },
    h("h2", { id: "timeline-title" }, "What expires when"),
    h(
      "ol",
      { class: "timeline" },
      dated.map((pack) => {
        const days = daysUntil(pack.expires_on ?? "", now);
        const tone = days < 14 ? "bad" : days < 30 ? "warn" : "ok";
        const width = Math.max(2, Math.min(100, (Math.max(days, 0) / span) * 100));
        return h(
          "li",
          {},
          h(
            "span",
            { class: "when" },
            `${formatDate(pack.expires_on ?? "")} · ${days < 0 ? "expired" : `${days} days`}`,
          ),
          h(
            "span",
            { class: "track", "aria-hidden": "true" },
            h("span", { class: `bar ${tone}`, style: `width:${width.toFixed(1)}%` }),
          ),
          h("span", { class: "what" }, `${pack.type}: ${pack.hosts.join(", ")}`),
        );
      }),
    ),
    undated
      ? h("p", { class: "muted" }, `${undated} pack${undated === 1 ? "" : "s"} not issued yet, so no expiry.`)
      : null,
  );
}

export function packsSection(packs: Pack[], now: number, actions: Actions): HTMLElement {
  return h(
    "section",
    { "aria-labelledby": "packs-title" },
    h("h2", { id: "packs-title" }, `Certificate packs (${packs.length})`),
    h(
      "div",
      { class: "packs" },
      packs.flatMap((pack) => [packCard(pack, now, actions), actions.approvalAt(`pack:${pack.id}`)]),
    ),
  );
}

function packCard(pack: Pack, now: number, actions: Actions): HTMLElement {
  const expiry = pack.expires_on
    ? `expires ${formatDate(pack.expires_on)} (${daysUntil(pack.expires_on, now)} days)`
    : "not issued";
  const label = `${pack.type} pack ${pack.id}`;
  const method = h(
    "select",
    { "aria-label": `Validation method of ${label}` },
    VALIDATION_METHODS.map((m) => h("option", { value: m, selected: m === pack.validation_method }, m)),
  ) as HTMLSelectElement;
  const manageable = isOrderedPack(pack);
  return h(
    "article",
    { class: "pack", "data-pack-id": pack.id, "aria-label": label },
    h(
      "header",
      {},
      h("strong", {}, pack.type),
      h("span", { class: `pill ${statusClass(pack.status)}` }, pack.status),
    ),
    h(
      "ul",
      { class: "hosts", "aria-label": "Hosts" },
      pack.hosts.map((host) => h("li", {}, host)),
    ),
    h(
      "p",
      { class: "muted" },
      [expiry, pack.certificate_authority, pack.validation_method].filter(Boolean).join(" · "),
    ),
    h("p", { class: "id" }, h("code", {}, pack.id)),
    manageable
      ? h(
          "div",
          { class: "actions" },
          awaitsValidation(pack)
            ? h(
                "button",
                { type: "button", onclick: () => actions.restartValidation(pack) },
                "Restart validation",
              )
            : null,
          awaitsValidation(pack) ? method : null,
          awaitsValidation(pack)
            ? h(
                "button",
                { type: "button", onclick: () => actions.changeMethod(pack, method.value) },
                "Change method",
              )
            : null,
          h(
            "button",
            { type: "button", class: "danger", onclick: () => actions.deletePack(pack) },
            "Delete…",
          ),
        )
      : null,
  );
}
