/**
 * What the report shows, computed from the profiles' codes, the cluster assignment and the
 * match evaluations: plain data that report-render.ts turns into console text and HTML.
 */
import { type ProfileChunk, type ProfileCodes, profileAt } from "../../domain/profile/index.js"
import {
  AGE_MAX,
  AGE_MIN,
  AVAILABILITIES,
  CITY_STATE,
  COMMUNICATION_STYLES,
  COMPETITIVE_LEVELS,
  GAME_WORDS,
  INTERACTIONS,
  MAIN_GOALS,
  MUSIC_GENRES,
  PLATFORMS,
  PLAY_STYLES,
  SEXES,
  STATES
} from "../../domain/profile/vocabulary.js"
import { popcount32 } from "../../domain/matching/encoded/popcount.js"
import type { MatchEvalResult } from "./match-result.js"

export interface Describe {
  readonly name: string
  readonly count: number
  readonly mean: number
  readonly std: number
  readonly min: number
  readonly p25: number
  readonly p50: number
  readonly p75: number
  readonly max: number
}

export interface ValueCounts {
  readonly name: string
  /** Most frequent first, at most the configured number of values. */
  readonly values: ReadonlyArray<{ readonly value: string; readonly count: number }>
  /** Distinct values in the data. */
  readonly distinct: number
}

export interface ClusterStats {
  readonly k: number
  readonly rows: number
  readonly sizes: ReadonlyArray<number>
  readonly min: number
  readonly median: number
  readonly mean: number
  readonly max: number
  readonly empty: number
  /** Figures of the k-means metrics (name, value), e.g. the silhouette estimate: see clusterStats. */
  readonly metrics: ReadonlyArray<readonly [string, number]>
}

export interface SampleProfile {
  /** Field name and display value, in record order. */
  readonly fields: ReadonlyArray<readonly [string, string]>
  readonly vectorHead: ReadonlyArray<number>
  readonly embeddingHead: ReadonlyArray<number>
  readonly clusterId: number | null
}

/** The index a match evaluation searched, as the evaluation and the index's build record say. */
export interface EvaluatedIndex {
  /** The stage that built it (from its path), or null where the path does not say. */
  readonly stage: string | null
  readonly factory: string
  readonly searchParameters: Readonly<Record<string, number>>
  readonly recallAt10: number
  /** The ann-index's warning of a missed recall target, when it has one. */
  readonly warning: string | null
  /** The build record (index.json), when there is one and it reads: target and wall times. */
  readonly build: { readonly targetRecall: number; readonly trainSeconds: number; readonly addSeconds: number; readonly tuningSteps: number } | null
}

/** One match evaluation: its stage, the embeddings and index it used, and its result. */
export interface MatchSection {
  /** The match-eval stage (from its path), or `evaluation N`. */
  readonly stage: string
  /** What the rows and legends call it: stage, embeddings and index ("match: attributes, index IVF…"). */
  readonly label: string
  /** The embeddings' content without the `embeddings:` prefix (`attributes`, `seed-random`). */
  readonly embeddings: string
  readonly embeddingsStage: string | null
  readonly index: EvaluatedIndex
  readonly result: MatchEvalResult
}

/** One row of the report's "Stages" table: what each input stage did, its settings and time. */
export interface StageRow {
  readonly stage: string
  readonly what: string
  readonly settings: string
  /** Wall time as the stage's own files record it, or "—" when they do not. */
  readonly time: string
}

export interface ReportModel {
  readonly title: string
  /** The run that wrote the report, the report's stage and its config (key, value). */
  readonly run: { readonly runId: string; readonly stage: string; readonly kind: string; readonly config: ReadonlyArray<readonly [string, string]> }
  readonly profiles: { readonly rows: number; readonly seed: number; readonly locale: string; readonly path: string }
  /** The input stages: settings and times. */
  readonly stages: ReadonlyArray<StageRow>
  readonly describe: ReadonlyArray<Describe>
  readonly counts: ReadonlyArray<ValueCounts>
  /** Profiles per age, AGE_MIN.. in order. */
  readonly ageHistogram: ReadonlyArray<{ readonly label: string; readonly count: number }>
  readonly sample: SampleProfile
  readonly clusters: ClusterStats
  readonly matches: ReadonlyArray<MatchSection>
  /** Label and path of every file the report read or wrote. */
  readonly paths: ReadonlyArray<readonly [string, string]>
}

/**
 * The stage a file belongs to, from the artifact store's layout (`…/stages/<stage>/<key>/<file>`),
 * or null for a path laid out otherwise (a store of another shape, a test fixture).
 */
export const stageOfPath = (path: string): string | null => /[\\/]stages[\\/]([^\\/]+)[\\/][^\\/]+[\\/][^\\/]+$/.exec(path)?.[1] ?? null

/** Search parameters as text: `nprobe 16, efSearch 64`, or "" when there are none. */
export const parametersText = (parameters: Readonly<Record<string, number>>): string =>
  Object.entries(parameters)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ")

/** "index IVF98,Flat (nprobe 8)" or "exact search over embeddings-random". */
export const indexText = (index: EvaluatedIndex): string => {
  const params = parametersText(index.searchParameters)
  const where = index.stage ?? "index"
  return index.factory.startsWith("exact")
    ? `${index.factory.replace(/ \(.*\)$/, "")} search${index.stage === null ? "" : ` over ${index.stage}`}`
    : `${where} ${index.factory}${params === "" ? "" : ` (${params})`}`
}

/** Describe of a histogram over small integer values (value -> count). */
export const describeCounts = (name: string, counts: ArrayLike<number>, offset = 0): Describe => {
  let n = 0
  let sum = 0
  let sumSq = 0
  let min = Infinity
  let max = -Infinity
  for (let v = 0; v < counts.length; v++) {
    const c = counts[v] as number
    if (c === 0) continue
    const x = v + offset
    n += c
    sum += c * x
    sumSq += c * x * x
    min = Math.min(min, x)
    max = Math.max(max, x)
  }
  const quantile = (q: number): number => {
    if (n === 0) return 0
    const target = q * (n - 1)
    let seen = 0
    for (let v = 0; v < counts.length; v++) {
      seen += counts[v] as number
      if (seen > target) return v + offset
    }
    return max
  }
  const mean = n === 0 ? 0 : sum / n
  return {
    name,
    count: n,
    mean,
    std: n < 2 ? 0 : Math.sqrt(Math.max(0, (sumSq - n * mean * mean) / (n - 1))),
    min: n === 0 ? 0 : min,
    p25: quantile(0.25),
    p50: quantile(0.5),
    p75: quantile(0.75),
    max: n === 0 ? 0 : max
  }
}

const topCounts = (name: string, labels: ReadonlyArray<string>, counts: ArrayLike<number>, limit: number): ValueCounts => {
  const values = Array.from(labels, (value, i) => ({ value, count: counts[i] as number })).filter((v) => v.count > 0)
  values.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
  return { name, values: values.slice(0, limit), distinct: values.length }
}

const countBits = (masks: Uint32Array, words: number, rowCount: number, into: Float64Array): void => {
  for (let r = 0; r < rowCount; r++) {
    for (let w = 0; w < words; w++) {
      let m = masks[r * words + w] as number
      while (m !== 0) {
        const bit = 31 - Math.clz32(m & -m)
        into[w * 32 + bit]! += 1
        m &= m - 1
      }
    }
  }
}

/** Numeric describes and value counts over all chunks, in one pass of typed-array loops. */
export const profileStats = (chunks: Iterable<ProfileCodes>, topValues: number) => {
  const age = new Float64Array(AGE_MAX + 1)
  const experience = new Float64Array(64)
  const listSizes = { musicGenres: new Float64Array(33), games: new Float64Array(129), platforms: new Float64Array(33), playStyles: new Float64Array(33) }
  const descriptionLength = new Float64Array(4096)
  const cat = {
    sex: new Float64Array(SEXES.length),
    state: new Float64Array(STATES.length),
    availability: new Float64Array(AVAILABILITIES.length),
    interaction: new Float64Array(INTERACTIONS.length),
    mainGoal: new Float64Array(MAIN_GOALS.length),
    competitiveLevel: new Float64Array(COMPETITIVE_LEVELS.length),
    communicationStyle: new Float64Array(COMMUNICATION_STYLES.length),
    sharesContact: new Float64Array(2),
    usesMicrophone: new Float64Array(2)
  }
  const multi = {
    platforms: new Float64Array(32),
    playStyles: new Float64Array(32),
    musicGenres: new Float64Array(32),
    games: new Float64Array(GAME_WORDS * 32)
  }
  for (const c of chunks) {
    for (let i = 0; i < c.count; i++) {
      age[c.age[i] as number]! += 1
      experience[Math.min(63, c.yearsOfExperience[i] as number)]! += 1
      listSizes.musicGenres[popcount32(c.musicGenres[i] as number)]! += 1
      listSizes.platforms[popcount32(c.platforms[i] as number)]! += 1
      listSizes.playStyles[popcount32(c.playStyles[i] as number)]! += 1
      let g = 0
      for (let w = 0; w < GAME_WORDS; w++) g += popcount32(c.games[i * GAME_WORDS + w] as number)
      listSizes.games[Math.min(128, g)]! += 1
      descriptionLength[Math.min(4095, c.descriptionLength[i] as number)]! += 1
      cat.sex[c.sex[i] as number]! += 1
      cat.state[CITY_STATE[c.city[i] as number] as number]! += 1
      cat.availability[c.availability[i] as number]! += 1
      cat.interaction[c.interaction[i] as number]! += 1
      cat.mainGoal[c.mainGoal[i] as number]! += 1
      cat.competitiveLevel[c.competitiveLevel[i] as number]! += 1
      cat.communicationStyle[c.communicationStyle[i] as number]! += 1
      cat.sharesContact[c.sharesContact[i] as number]! += 1
      cat.usesMicrophone[c.usesMicrophone[i] as number]! += 1
    }
    countBits(c.platforms, 1, c.count, multi.platforms)
    countBits(c.playStyles, 1, c.count, multi.playStyles)
    countBits(c.musicGenres, 1, c.count, multi.musicGenres)
    countBits(c.games, GAME_WORDS, c.count, multi.games)
  }
  const describe: ReadonlyArray<Describe> = [
    describeCounts("age", age),
    describeCounts("yearsOfExperience", experience),
    describeCounts("musicGenres (items)", listSizes.musicGenres),
    describeCounts("favouriteGames (items)", listSizes.games),
    describeCounts("platforms (items)", listSizes.platforms),
    describeCounts("playStyles (items)", listSizes.playStyles),
    describeCounts("description (chars)", descriptionLength)
  ]
  const noYes = ["no", "yes"]
  const counts: ReadonlyArray<ValueCounts> = [
    topCounts("sex", SEXES, cat.sex, topValues),
    topCounts("state", STATES, cat.state, topValues),
    topCounts("availability", AVAILABILITIES, cat.availability, topValues),
    topCounts("desiredInteraction", INTERACTIONS, cat.interaction, topValues),
    topCounts("mainGoal", MAIN_GOALS, cat.mainGoal, topValues),
    topCounts("competitiveLevel", COMPETITIVE_LEVELS, cat.competitiveLevel, topValues),
    topCounts("communicationStyle", COMMUNICATION_STYLES, cat.communicationStyle, topValues),
    topCounts("sharesContact", noYes, cat.sharesContact, topValues),
    topCounts("usesMicrophone", noYes, cat.usesMicrophone, topValues),
    topCounts("platforms (any item)", PLATFORMS, multi.platforms, topValues),
    topCounts("playStyles (any item)", PLAY_STYLES, multi.playStyles, topValues),
    topCounts("musicGenres (any item)", MUSIC_GENRES, multi.musicGenres, topValues)
  ]
  const ageHistogram = Array.from({ length: AGE_MAX - AGE_MIN + 1 }, (_, i) => ({
    label: String(AGE_MIN + i),
    count: age[AGE_MIN + i] as number
  }))
  return { describe, counts, ageHistogram }
}

const display = (value: unknown): string => (Array.isArray(value) ? value.join(", ") : String(value))

/** The sample profile's fields (decoded by `profileAt`) as display strings. */
export const sampleFields = (chunk: ProfileChunk, index: number): ReadonlyArray<readonly [string, string]> =>
  Object.entries(profileAt(chunk, index)).map(([k, v]) => [k, display(v)] as const)

/**
 * Sizes of the `k` clusters from the assignment, and the figures of the k-means metrics shown
 * beside them: every numeric top-level entry but `k` and `rows`, and an entry holding a numeric
 * `value` (the silhouette estimate) as that value.
 */
export const clusterStats = (k: number, assignments: Int32Array, metrics: Readonly<Record<string, unknown>> | null): ClusterStats => {
  const sizes = new Array<number>(k).fill(0)
  for (const a of assignments) if (a >= 0 && a < k) sizes[a]! += 1
  const sorted = [...sizes].sort((a, b) => a - b)
  const mid = sorted.length === 0 ? 0 : sorted.length % 2 === 1
    ? (sorted[(sorted.length - 1) / 2] as number)
    : ((sorted[sorted.length / 2 - 1] as number) + (sorted[sorted.length / 2] as number)) / 2
  const numberOf = (v: unknown): number | undefined => {
    const n = v !== null && typeof v === "object" && "value" in v ? v.value : v
    return typeof n === "number" && Number.isFinite(n) ? n : undefined
  }
  const numeric =
    metrics === null
      ? []
      : Object.entries(metrics).flatMap(([key, v]) => {
          const n = numberOf(v)
          return n !== undefined && key !== "k" && key !== "rows" ? [[key, n] as const] : []
        })
  return {
    k,
    rows: assignments.length,
    sizes,
    min: sorted[0] ?? 0,
    median: mid,
    mean: k === 0 ? 0 : assignments.length / k,
    max: sorted[sorted.length - 1] ?? 0,
    empty: sizes.filter((s) => s === 0).length,
    metrics: numeric
  }
}
