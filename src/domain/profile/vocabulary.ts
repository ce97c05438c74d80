/**
 * The value lists ("vocabularies") of the profile record and the integer codes that stand for them.
 *
 * A code is the value's index in its list, in the seed's source order (seed-lists.json, copied from
 * the seed's V3 generator; the V6 lists from its `geraprofilesv3.py`). Codes are stable: the matching
 * module, the SQLite layer and the vectors all rely on them, so lists only ever grow at the end.
 *
 * - single-valued fields store the code (Uint8/Uint16 columns of a ProfileChunk);
 * - multi-valued fields store a bitmask over their list: bit (code % 32) of word floor(code / 32)
 *   of the profile's words (1 word for music, platforms, styles; GAME_WORDS for games; languages fit
 *   in a byte). The seed's duplicate items inside a list cannot exist in this encoding.
 * - `state` is not stored: it is `CITY_STATE[city]`, so it always matches the city.
 */
import seedLists from "./seed-lists.json" with { type: "json" }

/** Favourite games (115), `jogos_favoritos`. */
export const GAMES: ReadonlyArray<string> = seedLists.JOGOS_MAIS_JOGADOS
/** Platforms owned (8), `plataformas_possuidas`. */
export const PLATFORMS: ReadonlyArray<string> = seedLists.PLATAFORMAS
/** Preferred play styles (25), `estilos_preferidos`. */
export const PLAY_STYLES: ReadonlyArray<string> = seedLists.ESTILOS_JOGO
/** Music genres (19), `interesses_musicais`. */
export const MUSIC_GENRES: ReadonlyArray<string> = seedLists.ESTILOS_MUSICA
/** Sexes (4), `sexo`: 0 Masculino, 1 Feminino, 2 Não Binário, 3 Prefiro não informar. */
export const SEXES: ReadonlyArray<string> = seedLists.SEXOS
/** Desired interaction (5), `interacao_desejada`. */
export const INTERACTIONS: ReadonlyArray<string> = seedLists.INTERACAO
/** Availability (8), `disponibilidade`. */
export const AVAILABILITIES: ReadonlyArray<string> = seedLists.DISPONIBILIDADE_LISTA

/** Sex codes, named for readability where a branch depends on them. */
export const Sex = { Male: 0, Female: 1, NonBinary: 2, Undisclosed: 3 } as const

const cityMap: Readonly<Record<string, string>> = seedLists.CIDADES_ESTADOS

/** Cities (268 distinct; the seed's literal repeated three keys, which JSON already collapses). */
export const CITIES: ReadonlyArray<string> = Object.keys(cityMap)
/** The 27 federative units (UF), sorted alphabetically. */
export const STATES: ReadonlyArray<string> = [...new Set(Object.values(cityMap))].sort()
/** State code of each city code: the only way a state is ever produced. */
export const CITY_STATE: Uint8Array = Uint8Array.from(CITIES, (city) => STATES.indexOf(cityMap[city] as string))

/** V6 extra: main goal (4), `objetivo_principal`. */
export const MAIN_GOALS: ReadonlyArray<string> = ["Competitivo", "Casual", "Social", "Exploração"]
/** Main goal codes used by the generator's rules. */
export const MainGoal = { Competitive: 0, Casual: 1, Social: 2, Exploration: 3 } as const

/**
 * V6 extra: spoken languages, a set over these 3 (bitmask in one byte). The seed drew one of its 7
 * strings "Português", "Português, Inglês", … uniformly; that is exactly a uniform non-empty subset.
 */
export const LANGUAGES: ReadonlyArray<string> = ["Português", "Inglês", "Espanhol"]

/** V6 extra: competitive level (13), `nivel_competitivo`; code 10 means "does not play ranked". */
export const COMPETITIVE_LEVELS: ReadonlyArray<string> = [
  "Iniciante",
  "Bronze",
  "Prata",
  "Ouro",
  "Platina",
  "Diamante",
  "Mestre",
  "Grão-Mestre",
  "Desafiante",
  "Lendário",
  "Não jogo ranked",
  "Aprendendo",
  "Casual Competitivo"
]
export const NOT_RANKED = 10

/** V6 extra: communication style (9), `estilo_comunicacao`. */
export const COMMUNICATION_STYLES: ReadonlyArray<string> = [
  "Direto(a) e Objetivo(a)",
  "Calmo(a) e Analítico(a)",
  "Estratégico(a) (calls)",
  "Bem-humorado(a) e Descontraído(a)",
  "Quieto(a)/Observador(a)",
  "Líder Natural",
  "Apenas Texto",
  "Prefiro Ouvir",
  "Depende do Jogo/Grupo"
]

/** Ages are uniform in [AGE_MIN, AGE_MAX] as in the seed's V3 generator. */
export const AGE_MIN = 18
export const AGE_MAX = 65
/** Years of experience never exceed age - 12 (the seed's clamp), so at most this. */
export const EXPERIENCE_MAX = AGE_MAX - 12

/** How many items each multi-valued field holds: uniform in [min, max] (the seed's V3 ranges). */
export const LIST_SIZES = {
  musicGenres: { min: 1, max: 4 },
  games: { min: 1, max: 5 },
  platforms: { min: 1, max: 3 },
  playStyles: { min: 1, max: 4 }
} as const

/** Uint32 words per profile in the games bitmask (115 games -> 4 words). */
export const GAME_WORDS = Math.ceil(GAMES.length / 32)

/**
 * The items of one bitmask, primary item first, then the others in code order. Multi-valued fields
 * keep their first-drawn ("primary") item separately because the description quotes it.
 */
export const maskItems = (
  vocabulary: ReadonlyArray<string>,
  words: Uint32Array,
  offset: number,
  wordCount: number,
  primary: number
): string[] => {
  const out: string[] = [vocabulary[primary] as string]
  for (let w = 0; w < wordCount; w++) {
    let bits = (words[offset + w] as number) >>> 0
    while (bits !== 0) {
      const low = 31 - Math.clz32(bits & -bits)
      bits = (bits & (bits - 1)) >>> 0
      const code = w * 32 + low
      if (code !== primary) out.push(vocabulary[code] as string)
    }
  }
  return out
}
