// What a mistyped option was most likely meant to be: the nearest flag by edit distance, or, for a setting that
// exists only as an environment variable (secrets have no flag, argv is visible to `ps`), that variable.
import { COMMANDS, SETTINGS, type Setting } from "./settings.js";

const ALL: readonly Setting[] = Object.values(SETTINGS);
const FLAGS: readonly string[] = [
  ...ALL.flatMap((s) => (s.flag ? [s.flag] : [])),
  ...COMMANDS.map((c) => c.flag),
];
/** `CLOUDFLARE_API_TOKEN` is what someone means by `--api-token` or `--token`. */
const ENV_ONLY: readonly { env: string; secret: boolean; names: string[] }[] = ALL.filter(
  (s) => !s.flag && s.env,
).map((s) => {
  const env = s.env as string;
  const bare = env.replace(/^CLOUDFLARE_(SSL_MCP_)?/, "").toLowerCase();
  return { env, secret: s.secret === true, names: [bare, bare.replace(/^api_/, "")].map(normalize) };
});

/** Lower case, no leading dashes, `_` as `-`: `--Read_Only` and `read-only` are the same attempt. */
function normalize(option: string): string {
  return option.replace(/^-+/, "").toLowerCase().replace(/_/g, "-");
}

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`: `--hlep` is one from `--help`. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] as number;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      row[j] = Math.min(
        at(i - 1, j) + 1,
        at(i, j - 1) + 1,
        at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, at(i - 2, j - 2) + 1);
    }
  }
  return at(a.length, b.length);
}

/** How far `given` is from `candidate`; a prefix of at least four letters (`--timeout`) counts as close. */
function distance(given: string, candidate: string): number {
  if (given.replace(/-/g, "") === candidate.replace(/-/g, "")) return 0;
  if (given.length >= 4 && (candidate.startsWith(given) || given.startsWith(candidate))) return 1;
  return editDistance(given, candidate);
}

/** What to tell someone who typed `option`: the nearest flag or the variable they meant; "" for no good guess. */
export function suggestionFor(option: string): string {
  const given = normalize(option);
  if (given.length < 2) return "";
  const envOnly = ENV_ONLY.find(({ names }) => names.some((name) => distance(given, name) <= 1));
  if (envOnly)
    return `Set ${envOnly.env} in the environment instead: it has no flag${envOnly.secret ? ", so that it never shows in the process list" : ""}.`;
  const ranked = FLAGS.map((flag) => ({ flag, away: distance(given, normalize(flag)) })).sort(
    (x, y) => x.away - y.away,
  );
  const best = ranked[0];
  const nearEnough =
    best !== undefined && best.away <= Math.max(1, Math.min(3, Math.floor(given.length / 3)));
  return nearEnough ? `Did you mean ${best.flag}?` : "";
}
