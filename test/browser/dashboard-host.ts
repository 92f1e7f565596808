// Opens the dashboard as a chat host would: a real MCP client of the built server on its sandbox lists the
// tools, reads the ui:// resource a tool links to, calls the tool, and hands input and result to the view in
// a sandboxed iframe through the official AppBridge. Everything the page requests, logs or throws is kept.
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { Browser, Frame, Page } from "puppeteer-core";
import { MCP_APP_MIME_TYPE, MCP_APPS_EXTENSION } from "../../src/tools/dashboard-link.js";
import { spawnServer } from "../helpers/spawn.js";
import { type DeclaredCsp, startHostServer } from "./host-server.js";

export interface OpenDashboard {
  page: Page;
  view: Frame;
  /** Every tools/call the view made through the host, in order. */
  calls: { name: string; arguments?: Record<string, unknown> }[];
  /** Console errors and uncaught exceptions of the page and the view. */
  errors: string[];
  /** Every URL the browser requested, and every path the host server answered. */
  requested: string[];
  served: string[];
  hostUrl: string;
  callTool(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

export interface HostContextSeed {
  theme?: "light" | "dark";
  displayMode?: "inline" | "fullscreen";
  availableDisplayModes?: string[];
}

export async function openDashboard(
  browser: Browser,
  tool: string,
  args: Record<string, unknown>,
  context: HostContextSeed = {},
  shapeResult: (result: CallToolResult) => CallToolResult = (r) => r,
): Promise<OpenDashboard> {
  const server = await spawnServer(["--sandbox"], {}, {
    capabilities: { extensions: { [MCP_APPS_EXTENSION]: { mimeTypes: [MCP_APP_MIME_TYPE] } } },
  } as never);
  const callTool = (name: string, a: Record<string, unknown>) =>
    server.client.callTool({ name, arguments: a }) as Promise<CallToolResult>;
  const { tools } = await server.client.listTools();
  const linked = tools.find((t: Tool) => t.name === tool);
  const uri = (linked?._meta?.ui as { resourceUri?: string } | undefined)?.resourceUri;
  if (!uri) throw new Error(`${tool} links to no ui:// resource`);
  const { contents } = await server.client.readResource({ uri });
  const content = contents[0] as {
    text: string;
    _meta?: { ui?: { csp?: DeclaredCsp; permissions?: Record<string, object> } };
  };
  const result = shapeResult(await callTool(tool, args));
  const host = await startHostServer({ html: content.text, csp: content._meta?.ui?.csp ?? {} });

  const page = await browser.newPage();
  const errors: string[] = [];
  const requested: string[] = [];
  const calls: OpenDashboard["calls"] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("request", (request) => requested.push(request.url()));
  await page.exposeFunction(
    "hostCallTool",
    (params: { name: string; arguments?: Record<string, unknown> }) => {
      calls.push(params);
      return callTool(params.name, params.arguments ?? {});
    },
  );
  await page.goto(host.url);
  await page.evaluate(
    (seed) => (globalThis as unknown as { startHost(s: unknown): Promise<void> }).startHost(seed),
    {
      args,
      result,
      permissions: content._meta?.ui?.permissions,
      hostContext: {
        theme: context.theme ?? "light",
        displayMode: context.displayMode ?? "inline",
        availableDisplayModes: context.availableDisplayModes ?? ["inline", "fullscreen"],
        platform: "web",
        toolInfo: { tool: linked },
      },
    } as never,
  );
  const view = page.frames().find((f) => f.url().endsWith("/view"));
  if (!view) throw new Error("the view's frame did not load");
  return {
    page,
    view,
    calls,
    errors,
    requested,
    served: host.served,
    hostUrl: host.url,
    callTool,
    close: async () => {
      await page.close();
      await host.close();
      await server.close();
    },
  };
}

/** What a person reads in an element of the view. */
export function textIn(view: Frame, selector: string): Promise<string> {
  return view.$eval(selector, (element) => (element as unknown as { innerText: string }).innerText);
}
