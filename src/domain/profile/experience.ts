/**
 * The V6 extras' rules (seed-spec §1.5), with the intent the seed's shuffled ×10 lists lost:
 * - years of experience ~ Normal(age/4, age/5.5), clamped to [0, age - 12], truncated;
 * - competitive level: "Não jogo ranked" unless the goal is Competitivo (or Casual, with p 0.3);
 *   then a tier drawn with the seed's weights, shifted up the ladder by floor(4 ln(1+years)/ln 41)
 *   (weight pushed past the top stays on the top tier), so veterans rank higher;
 * - uses microphone with p 0.80 (Competitivo), 0.65 (Social), 0.40 (otherwise).
 */
import { cumulativeWeights, type Prng } from "../random/sfc32.js"
import { COMPETITIVE_LEVELS, MainGoal, NOT_RANKED } from "./vocabulary.js"

export const drawYearsOfExperience = (rng: Prng, age: number): number => {
  const years = age / 4 + (age / 5.5) * rng.normal()
  const capped = Math.min(Math.max(years, 0), Math.max(0, age - 12))
  return Math.trunc(capped)
}

/** The seed's level weights in COMPETITIVE_LEVELS order (ladder 0..9, then the three others). */
const SEED_LEVEL_WEIGHTS = [0.1, 0.15, 0.2, 0.2, 0.15, 0.1, 0.05, 0.02, 0.01, 0.01, 0.0, 0.01, 0.0]
const LADDER = 10
const MAX_SHIFT = 4
/** Casual players who play ranked also say "Casual Competitivo" with this weight. */
const CASUAL_COMPETITIVE_WEIGHT = 0.1

const levelTable = (shift: number, casual: boolean): Float64Array => {
  const w = new Array<number>(COMPETITIVE_LEVELS.length).fill(0)
  for (let i = 0; i < LADDER; i++) {
    const to = Math.min(i + shift, LADDER - 1)
    w[to] = (w[to] as number) + (SEED_LEVEL_WEIGHTS[i] as number)
  }
  w[11] = SEED_LEVEL_WEIGHTS[11] as number
  w[12] = casual ? CASUAL_COMPETITIVE_WEIGHT : 0
  return cumulativeWeights(w)
}
/** Cumulative level weights by [casual ? 1 : 0][shift]. */
const LEVEL_TABLES: ReadonlyArray<ReadonlyArray<Float64Array>> = [false, true].map((casual) =>
  Array.from({ length: MAX_SHIFT + 1 }, (_, s) => levelTable(s, casual))
)

export const drawCompetitiveLevel = (rng: Prng, goal: number, years: number): number => {
  const ranked = goal === MainGoal.Competitive || (goal === MainGoal.Casual && rng.bool(0.3))
  if (!ranked) return NOT_RANKED
  const shift = Math.min(MAX_SHIFT, Math.floor((4 * Math.log(1 + years)) / Math.log(41)))
  return rng.weightedIndex(LEVEL_TABLES[goal === MainGoal.Casual ? 1 : 0]![shift]!)
}

export const microphoneProbability = (goal: number): number =>
  goal === MainGoal.Competitive ? 0.8 : goal === MainGoal.Social ? 0.65 : 0.4
