// Every file `npm run generate` writes, as text, from the code. Tests compare the committed files with this;
// scripts/generate.mjs writes them (or, with --check, says which are stale).
import { TOOLS } from "../../src/tools/registry.js";
import { renderConfigurationDoc } from "./configuration-doc.js";
import { renderToolsDoc } from "./tools-doc.js";
import { renderListing, renderManifest, renderToolsListSnapshot } from "./tools-list.js";
import { renderTriageRulesDoc } from "./triage-doc.js";

export interface GeneratedFile {
  /** Relative to the repository's root, with `/`. */
  path: string;
  text: string;
}

export const LISTING_PATH = "src/tools/listing.generated.json";

/** `readCommitted` gives a file's committed text, for the one generated file that is partly hand-written. */
export async function generatedFiles(readCommitted: (path: string) => string): Promise<GeneratedFile[]> {
  return [
    { path: LISTING_PATH, text: renderListing() },
    { path: "test/snapshots/tools-list.json", text: await renderToolsListSnapshot() },
    { path: "manifest.json", text: renderManifest(readCommitted("manifest.json")) },
    { path: "docs/configuration.md", text: renderConfigurationDoc() },
    { path: "docs/tools.md", text: renderToolsDoc(TOOLS) },
    { path: "docs/triage-rules.md", text: renderTriageRulesDoc() },
  ];
}

/** The listing alone, for the build's check: quick, and without the tokenizer. */
export function listingFile(): GeneratedFile {
  return { path: LISTING_PATH, text: renderListing() };
}
