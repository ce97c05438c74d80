/**
 * The seed's weighted, gated match score (`calculate_custom_similarity`, seed-spec §6.3): five
 * component similarities; a pair whose platform or availability similarity is below its gate
 * scores 0; otherwise the weighted sum. This is the reference path; ./encoded computes the same
 * numbers from typed arrays and is tested against it.
 *
 * Deliberate difference: the breakdown always carries the unrounded component values. The seed
 * rounded them to 2 decimals when a gate failed and left them unrounded when it passed, so the
 * same pair's details changed precision with the outcome. Rounding is for display.
 */
import { bucketSimilarity } from "./availability.js"
import { DEFAULT_MATCH_CONFIG, type MatchConfig, type MatchGates, type MatchWeights } from "./config.js"
import { preparedInteractionSimilarity } from "./interaction.js"
import { jaccard } from "./jaccard.js"
import { type MatchProfile, type PreparedProfile, prepareProfile } from "./profile.js"

export interface MatchComponents {
  readonly platforms: number
  readonly availability: number
  readonly games: number
  readonly styles: number
  readonly interaction: number
}

export interface MatchBreakdown {
  /** The final score in [0, 1]; 0 when a gate failed. */
  readonly score: number
  /** Whether both gates passed. A passing pair may still fall under the ranking floor. */
  readonly passed: boolean
  readonly components: MatchComponents
  readonly weights: MatchWeights
  readonly gates: MatchGates
}

/** Whether a pair's components clear both gates (a value equal to its gate passes, as in the seed). */
export const passesGates = (platforms: number, availability: number, gates: MatchGates): boolean =>
  platforms >= gates.platforms && availability >= gates.availability

/**
 * The weighted sum in the seed's order (platforms, availability, games, styles, interaction).
 * Floating-point addition is not associative; summing in one fixed order everywhere is what makes
 * the encoded path equal the reference bit for bit.
 */
export const weightedSum = (c: MatchComponents, w: MatchWeights): number =>
  w.platforms * c.platforms +
  w.availability * c.availability +
  w.games * c.games +
  w.styles * c.styles +
  w.interaction * c.interaction

/** Gates then weights: the breakdown of already computed components. */
export const combineComponents = (components: MatchComponents, config: MatchConfig): MatchBreakdown => {
  const passed = passesGates(components.platforms, components.availability, config.gates)
  return {
    score: passed ? weightedSum(components, config.weights) : 0,
    passed,
    components,
    weights: config.weights,
    gates: config.gates
  }
}

/** The five component similarities of two prepared profiles. */
export const componentsOf = (a: PreparedProfile, b: PreparedProfile): MatchComponents => ({
  platforms: jaccard(a.platforms, b.platforms),
  availability: bucketSimilarity(a.availability, b.availability),
  games: jaccard(a.games, b.games),
  styles: jaccard(a.styles, b.styles),
  interaction: preparedInteractionSimilarity(a.interaction, b.interaction)
})

/** Score of two prepared profiles; use this when one side is scored against many. */
export const scorePrepared = (
  a: PreparedProfile,
  b: PreparedProfile,
  config: MatchConfig = DEFAULT_MATCH_CONFIG
): MatchBreakdown => combineComponents(componentsOf(a, b), config)

/** Score of two profiles, with its breakdown. */
export const matchScore = (a: MatchProfile, b: MatchProfile, config: MatchConfig = DEFAULT_MATCH_CONFIG): MatchBreakdown =>
  scorePrepared(prepareProfile(a), prepareProfile(b), config)

/** Whether a score is kept by the ranking: above 0 and at least the floor (seed: `> 0 and >= 0.05`). */
export const meetsFloor = (score: number, config: MatchConfig = DEFAULT_MATCH_CONFIG): boolean =>
  score > 0 && score >= config.minScore
