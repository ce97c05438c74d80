/**
 * `npm run bench -- matching [--profiles=N] [--origins=K] [--reference=M]`: nanoseconds per pair
 * of the reference score and of the compact encoding, on random profiles drawn from the seed's
 * lists (seed-like shapes: 1-3 platforms, 1-5 games, 1-4 styles, the seed's duplicates).
 * Prints figures only; nothing here passes or fails on time.
 *
 * The reference path runs over a smaller slice (`--reference`, default 100,000 candidates): its
 * prepared sets cost a few hundred bytes a profile, and the per-pair figure does not depend on
 * the slice size.
 */
import {
  DEFAULT_MATCH_CONFIG,
  encodeProfiles,
  type MatchProfile,
  matchScore,
  prepareProfile,
  scoreAllAgainst,
  scorePrepared,
  SEED_AVAILABILITY,
  SEED_GAMES,
  SEED_INTERACTION,
  SEED_PLATFORMS,
  SEED_PLAY_STYLES,
  topMatchesEncoded
} from "../src/domain/matching/index.js"
import { uniformSource } from "../src/domain/random/index.js"

const intArg = (args: ReadonlyArray<string>, name: string, fallback: number): number => {
  const raw = args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
  const value = raw === undefined ? fallback : Number(raw.replace(/_/g, ""))
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer, got ${raw}`)
  return value
}

const prng = uniformSource

const randomProfiles = (count: number, seed: number): Array<MatchProfile> => {
  const rnd = prng(seed)
  const pick = (xs: ReadonlyArray<string>): string => xs[Math.floor(rnd() * xs.length)] as string
  const list = (xs: ReadonlyArray<string>, maxK: number): Array<string> =>
    Array.from({ length: 1 + Math.floor(rnd() * maxK) }, () => pick(xs))
  return Array.from({ length: count }, () => ({
    platforms: list(SEED_PLATFORMS, 3),
    availability: pick(SEED_AVAILABILITY),
    games: list(SEED_GAMES, 5),
    styles: list(SEED_PLAY_STYLES, 4),
    interaction: pick(SEED_INTERACTION)
  }))
}

const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6
const fmt = (n: number, digits = 1): string => n.toLocaleString("en-US", { maximumFractionDigits: digits })

export const main = async (args: ReadonlyArray<string>): Promise<void> => {
  const n = intArg(args, "profiles", 1_000_000)
  const origins = intArg(args, "origins", 5)
  const refCount = Math.min(n, intArg(args, "reference", 100_000))
  const config = DEFAULT_MATCH_CONFIG
  console.log(`profiles ${fmt(n)}, origins ${origins}, reference slice ${fmt(refCount)}`)

  let t = process.hrtime.bigint()
  const profiles = randomProfiles(n, 2024)
  console.log(`generate      ${fmt(ms(t))} ms`)

  t = process.hrtime.bigint()
  const enc = encodeProfiles(profiles)
  const encodeMs = ms(t)
  const bytes =
    enc.platforms.bits.byteLength + enc.games.bits.byteLength + enc.styles.bits.byteLength +
    enc.platforms.sizes.byteLength + enc.games.sizes.byteLength + enc.styles.sizes.byteLength +
    enc.availability.byteLength + enc.interactionClass.byteLength + enc.interactionId.byteLength
  console.log(
    `encode        ${fmt(encodeMs)} ms (${fmt(n / (encodeMs / 1000), 0)} profiles/s, ${fmt(bytes / n)} bytes/profile)`
  )

  const originRows = Array.from({ length: origins }, (_, k) => Math.floor(((k + 0.5) * n) / origins))

  // Reference, sets prepared once (how rankCandidates scores), over the slice.
  const prepared = profiles.slice(0, refCount).map(prepareProfile)
  let sink = 0
  t = process.hrtime.bigint()
  for (const o of originRows) {
    const from = prepareProfile(profiles[o] as MatchProfile)
    for (let j = 0; j < refCount; j++) sink += scorePrepared(from, prepared[j] as ReturnType<typeof prepareProfile>, config).score
  }
  const refNs = (ms(t) * 1e6) / (origins * refCount)
  console.log(`reference     ${fmt(refNs)} ns/pair (prepared sets, with breakdown)`)

  // Reference from raw profiles, parsing both sides per pair (matchScore as a one-off call).
  const rawCount = Math.min(refCount, 20_000)
  t = process.hrtime.bigint()
  for (const o of originRows) {
    const from = profiles[o] as MatchProfile
    for (let j = 0; j < rawCount; j++) sink += matchScore(from, profiles[j] as MatchProfile, config).score
  }
  const rawNs = (ms(t) * 1e6) / (origins * rawCount)
  console.log(`matchScore    ${fmt(rawNs)} ns/pair (parses both profiles every call)`)

  // Encoded: warm up once so the figure is the optimised loop, then time every origin.
  const out = new Float32Array(n)
  scoreAllAgainst(enc, originRows[0] as number, config, out)
  let passed = 0
  t = process.hrtime.bigint()
  for (const o of originRows) passed += scoreAllAgainst(enc, o, config, out)
  const allMs = ms(t)
  const encNs = (allMs * 1e6) / (origins * n)
  console.log(
    `scoreAll      ${fmt(encNs, 2)} ns/pair (${fmt(allMs / origins)} ms per origin; gate pass ${fmt((100 * passed) / (origins * (n - 1)), 2)} %)`
  )

  topMatchesEncoded(enc, originRows[0] as number, config, 10)
  t = process.hrtime.bigint()
  for (const o of originRows) sink += topMatchesEncoded(enc, o, config, 10).matches.length
  const topMs = ms(t)
  console.log(`top10         ${fmt((topMs * 1e6) / (origins * n), 2)} ns/pair (${fmt(topMs / origins)} ms per origin)`)

  console.log(
    `speed-up      ${fmt(refNs / encNs)}x over prepared reference; 200 origins x ${fmt(n)} ≈ ${fmt((200 * topMs) / origins / 1000, 2)} s on one core`
  )
  if (Number.isNaN(sink)) console.log("(unreachable; keeps the optimiser honest)")
}
