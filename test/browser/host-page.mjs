// The host side of an MCP App, as a chat client runs it: the official AppBridge of @modelcontextprotocol/ext-apps
// talking over postMessage to the view in a sandboxed iframe. Tool calls from the view go to the test through
// window.hostCallTool, which hands them to a real MCP client of the real server.
import {
  AppBridge,
  buildAllowAttribute,
  PostMessageTransport,
} from "@modelcontextprotocol/ext-apps/app-bridge";

let bridge;
let frame;

window.startHost = async ({ args, result, hostContext, permissions }) => {
  frame = document.createElement("iframe");
  frame.setAttribute("sandbox", "allow-scripts");
  // What the resource asks for (the clipboard, for its copy buttons), granted as the spec's hosts do.
  frame.setAttribute("allow", buildAllowAttribute(permissions));
  frame.title = "Certificate dashboard";
  document.body.append(frame);
  bridge = new AppBridge(
    null,
    { name: "browser-test-host", version: "1.0.0" },
    { serverTools: {}, sandbox: { csp: {} } },
    { hostContext },
  );
  bridge.oncalltool = (params) => window.hostCallTool(params);
  bridge.onsizechange = ({ height }) => {
    if (height) frame.style.height = `${Math.ceil(height)}px`;
  };
  bridge.onrequestdisplaymode = async ({ mode }) => {
    bridge.setHostContext({ ...bridge.getHostContext?.(), ...hostContext, displayMode: mode });
    return { mode };
  };
  const initialized = new Promise((resolve) => {
    bridge.oninitialized = resolve;
  });
  // Connected before the view loads, so that its first message (ui/initialize) finds the bridge listening.
  await bridge.connect(new PostMessageTransport(frame.contentWindow, frame.contentWindow));
  frame.src = "/view";
  await initialized;
  await bridge.sendToolInput({ arguments: args });
  await bridge.sendToolResult(result);
  window.hostBridge = bridge;
};

window.changeHostContext = (context) => {
  bridge.setHostContext(context);
};
