// Types of build-view.mjs, for the tests that rebuild the dashboard to compare with the generated file.
export const GENERATED: URL;
export function buildDashboardHtml(): Promise<string>;
export function writeDashboard(): Promise<boolean>;
