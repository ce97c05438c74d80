/**
 * What the match score reads from a profile, and nothing else: the seed's score ignores age,
 * place, sex, music, contact and the embedding (seed-spec §6.3). Keeping the input this narrow
 * lets any record shape feed the score through a one-line mapping, and lets the rank and encode
 * code parse each profile once (`prepareProfile`) instead of once per pair.
 */
import { type AvailabilityBucket, availabilityBucket } from "./availability.js"
import { type PreparedInteraction, prepareInteraction } from "./interaction.js"
import { type ItemsInput, itemSet } from "./item-set.js"

export interface MatchProfile {
  readonly platforms?: ItemsInput
  readonly availability?: string | null | undefined
  readonly games?: ItemsInput
  readonly styles?: ItemsInput
  readonly interaction?: string | null | undefined
}

/**
 * A profile reduced to what the rules compare: normalised item sets, the availability bucket, the
 * canonical interaction value and its token class (undefined when missing). Preparing does every
 * string operation once, so scoring one prepared profile against many costs set lookups only.
 */
export interface PreparedProfile {
  readonly platforms: ReadonlySet<string>
  readonly availability: AvailabilityBucket
  readonly games: ReadonlySet<string>
  readonly styles: ReadonlySet<string>
  readonly interaction: PreparedInteraction | undefined
}

export const prepareProfile = (profile: MatchProfile): PreparedProfile => ({
  platforms: itemSet(profile.platforms),
  availability: availabilityBucket(profile.availability),
  games: itemSet(profile.games),
  styles: itemSet(profile.styles),
  interaction: prepareInteraction(profile.interaction)
})

/** A row with the seed's pt-BR column names (its SQLite `perfis` table and JSON files). */
export interface SeedProfileRow {
  readonly plataformas_possuidas?: string | null | undefined
  readonly disponibilidade?: string | null | undefined
  readonly jogos_favoritos?: string | null | undefined
  readonly estilos_preferidos?: string | null | undefined
  readonly interacao_desejada?: string | null | undefined
}

/** Reads a seed row, for comparisons against the seed's own data. */
export const fromSeedRow = (row: SeedProfileRow): MatchProfile => ({
  platforms: row.plataformas_possuidas,
  availability: row.disponibilidade,
  games: row.jogos_favoritos,
  styles: row.estilos_preferidos,
  interaction: row.interacao_desejada
})
