// The zone-wide actions: order a pack, re-prioritise custom certificates, turn Universal SSL off. Each hands
// its arguments to `run`, which goes through the same approval as any other call. No <form>: hosts sandbox
// the view without allow-forms, where a form's submission (and its submit event) is blocked.
import { h } from "./dom.js";
import type { Pack } from "./model.js";

export type Run = (label: string, tool: string, args: Record<string, unknown>) => void;

export function zoneActionsSection(
  zoneId: string,
  packs: Pack[],
  run: Run,
  approval: HTMLElement | null,
): HTMLElement {
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
    approval,
  );
}

/** A labelled group of fields with one action; Enter in a field does what the button does. */
function group(id: string, title: string, action: HTMLElement, act: () => void, ...fields: HTMLElement[]) {
  action.addEventListener("click", act);
  const box = h(
    "div",
    { class: "form", role: "group", "aria-labelledby": id },
    h("h3", { id }, title),
    fields,
    action,
  );
  box.addEventListener("keydown", (event) => {
    if ((event as KeyboardEvent).key === "Enter" && (event.target as HTMLElement).tagName === "INPUT") act();
  });
  return box;
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
    placeholder: "example.com, www.example.com",
  }) as HTMLInputElement;
  const method = select("validation_method", ["txt", "http", "email"], "txt");
  const ca = select("certificate_authority", ["lets_encrypt", "google", "ssl_com"], "lets_encrypt");
  const days = select("validity_days", ["90", "30", "14", "365"], "90");
  return group(
    "order-title",
    "Order a pack",
    h("button", { type: "button" }, "Order pack"),
    () =>
      run("Order a certificate pack", "order_certificate_pack", {
        zone_id: zoneId,
        hosts: hosts.value.split(/[\s,]+/).filter(Boolean),
        validation_method: method.value,
        certificate_authority: ca.value,
        validity_days: Number(days.value),
      }),
    field("Hosts (the zone apex first)", hosts),
    field("Validation method", method),
    field("Certificate authority", ca),
    field("Validity (days)", days),
  );
}

function priorityForm(zoneId: string, packs: Pack[], run: Run): HTMLElement | null {
  const certificates = packs.flatMap((p) =>
    (p.certificates ?? []).map((c) => ({ id: c.id, priority: c.priority ?? 0, hosts: p.hosts })),
  );
  if (!certificates.length) return null;
  const inputs = certificates.map((c) => {
    const label = `Priority of certificate ${c.id} (${c.hosts.join(", ")})`;
    return [c, h("input", { type: "number", min: 0, value: c.priority, "aria-label": label })] as const;
  });
  return group(
    "priority-title",
    "Custom certificate priority",
    h("button", { type: "button", class: "danger" }, "Re-prioritise…"),
    () =>
      run("Re-prioritise custom certificates", "prioritize_custom_certificates", {
        zone_id: zoneId,
        certificates: inputs.map(([c, input]) => ({
          id: c.id,
          priority: Number((input as HTMLInputElement).value),
        })),
      }),
    ...inputs.map(([c, input]) => h("label", {}, h("span", {}, c.hosts.join(", ")), input)),
  );
}

function universalForm(zoneId: string, run: Run): HTMLElement {
  return group(
    "universal-title",
    "Universal SSL",
    h("button", { type: "button", class: "danger" }, "Disable Universal SSL…"),
    () => run("Disable Universal SSL", "update_universal_ssl_settings", { zone_id: zoneId, enabled: false }),
    h(
      "p",
      { class: "muted" },
      "Turning it off removes the free certificate that covers the zone apex and first-level subdomains.",
    ),
  );
}
