// Kept so that `./config.js` imports keep working; the configuration lives in src/config/.
export * from "./config/index.js";
