/**
 * The seed's matchmaking score (seed-spec §6): component similarities, the weighted and gated
 * score with its configuration, ranking of retrieved candidates, and a compact encoding for
 * exhaustive scoring. Shared by the match-eval stage and the dashboard.
 */
export * from "./availability.js"
export * from "./config.js"
export * from "./interaction.js"
export * from "./item-set.js"
export * from "./jaccard.js"
export * from "./profile.js"
export * from "./rank.js"
export * from "./score.js"
export * from "./seed-values.js"
export * from "./encoded/encoder.js"
export * from "./encoded/from-profile-codes.js"
export * from "./encoded/from-seed-codes.js"
export * from "./encoded/rank-encoded.js"
export * from "./encoded/score-all.js"
export * from "./encoded/score-encoded.js"
export type { BitsetColumn } from "./encoded/set-column.js"
