// Every rule, in the order their findings are listed within one severity: per pack, then for the zone.
import type { PackRule, ZoneRule } from "../rule.js";
import { expired, expiring } from "./expiry.js";
import { deletion, stuckOnIssuance } from "./stuck.js";
import {
  validationErrors,
  validationPending,
  validationTimedOut,
  wildcardHttpValidation,
} from "./validation.js";
import {
  advancedQuota,
  hostsUncovered,
  packListTruncated,
  partUnreadable,
  universalDisabled,
} from "./zone.js";

export const PACK_RULES: readonly PackRule[] = [
  expired,
  expiring,
  wildcardHttpValidation,
  validationErrors,
  validationPending,
  validationTimedOut,
  stuckOnIssuance,
  deletion,
];

export const ZONE_RULES: readonly ZoneRule[] = [
  universalDisabled,
  hostsUncovered,
  advancedQuota,
  partUnreadable,
  packListTruncated,
];
