// The zone-wide actions: order a pack, turn Universal SSL off, re-prioritise custom certificates. Each form
// hands its arguments to `run`, which goes through the same approval as any other call.
import { h } from "./dom.js";
import type { Pack } from "./model.js";

export type Run = (label: string, tool: string, args: Record<string, unknown>) => void;

export function zoneActionsSection(zoneId: string, packs: Pack[], run: Run): HTMLElement {
  return h(
    "section",
    { "aria-labelledby": "zone-actions-title" },
    h("h2", { id: "zone-actions-title" }, "Zone actions"),
    h(
      "div",
      { class: "forms" },
      orderForm(zoneId, run),
      priorityForm(zoneId, packs, run),
      universalForm(zoneId, run),
    ),
  );
}

function field(label: string, control: HTMLElement): HTMLElement {
  return h("label", {}, h("span", {}, label), control);
}

function select(name: string, options: string[], chosen: string): HTMLSelectElement {
  return h(
    "select",
    { name },
    options.map((o) => h("option", { value: o, selected: o === chosen }, o)),
  ) as HTMLSelectElement;
}

function orderForm(zoneId: string, run: Run): HTMLElement {
  const hosts = h("input", {
    name: "hosts",
    required: true,
    placeholder: "example.com, www.example.com",
  }) as HTMLInputElement;
  const method = select("validation_method", ["txt", "http", "email"], "txt");
  const ca = select("certificate_authority", ["lets_encrypt", "google", "ssl_com"], "lets_encrypt");
  const days = select("validity_days", ["90", "30", "14", "365"], "90");
  return h(
    "form",
    {
      "aria-labelledby": "order-title",
      onsubmit: (event: Event) => {
        event.preventDefault();
        run("Order a certificate pack", "order_certificate_pack", {
          zone_id: zoneId,
          hosts: hosts.value.split(/[\s,]+/).filter(Boolean),
          validation_method: method.value,
          certificate_authority: ca.value,
          validity_days: Number(days.value),
        });
      },
    },
    h("h3", { id: "order-title" }, "Order a pack"),
    field("Hosts (the zone apex first)", hosts),
    field("Validation method", method),
    field("Certificate authority", ca),
    field("Validity (days)", days),
    h("button", { type: "submit" }, "Order pack"),
  );
}

function priorityForm(zoneId: string, packs: Pack[], run: Run): HTMLElement | null {
  const certificates = packs.flatMap((p) =>
    (p.certificates ?? []).map((c) => ({ id: c.id, priority: c.priority ?? 0, hosts: p.hosts })),
  );
  if (!certificates.length) return null;
  const inputs = certificates.map(
    (c) =>
      [
        c,
        h("input", {
          type: "number",
          min: 0,
          value: c.priority,
          "aria-label": `Priority of certificate ${c.id} (${c.hosts.join(", ")})`,
        }) as HTMLInputElement,
      ] as const,
  );
  return h(
    "form",
    {
      "aria-labelledby": "priority-title",
      onsubmit: (event: Event) => {
        event.preventDefault();
        run("Re-prioritise custom certificates", "prioritize_custom_certificates", {
          zone_id: zoneId,
          certificates: inputs.map(([c, input]) => ({ id: c.id, priority: Number(input.value) })),
        });
      },
    },
    h("h3", { id: "priority-title" }, "Custom certificate priority"),
    inputs.map(([c, input]) => h("label", {}, h("span", {}, c.hosts.join(", ")), input)),
    h("button", { type: "submit", class: "danger" }, "Re-prioritise…"),
  );
}

function universalForm(zoneId: string, run: Run): HTMLElement {
  return h(
    "form",
    {
      "aria-labelledby": "universal-title",
      onsubmit: (event: Event) => {
        event.preventDefault();
        run("Disable Universal SSL", "update_universal_ssl_settings", { zone_id: zoneId, enabled: false });
      },
    },
    h("h3", { id: "universal-title" }, "Universal SSL"),
    h(
      "p",
      { class: "muted" },
      "Turning it off removes the free certificate that covers the zone apex and first-level subdomains.",
    ),
    h("button", { type: "submit", class: "danger" }, "Disable Universal SSL…"),
  );
}
