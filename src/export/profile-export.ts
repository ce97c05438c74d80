/**
 * A profile table as Parquet (typed columns, list fields as Parquet lists) and as CSV (the SQLite
 * table's text, list fields joined with ", " as there). Rows come from regenerating each chunk
 * from (seed, chunk), as the profile-table artifact promises (profile-table.ts): the same values
 * SQLite holds (the export test compares them), with the list fields already as arrays, and
 * faster than reading the text back and splitting it.
 *
 * Both writers take chunks in id order and keep at most one row group in memory, so memory stays
 * flat however many profiles there are.
 */
import { ParquetWriter } from "hyparquet-writer"
import type { SchemaElement } from "hyparquet"
import {
  AVAILABILITIES,
  CITIES,
  CITY_STATE,
  COMMUNICATION_STYLES,
  COMPETITIVE_LEVELS,
  GAME_WORDS,
  GAMES,
  INTERACTIONS,
  LANGUAGES,
  MAIN_GOALS,
  maskItems,
  MUSIC_GENRES,
  PLATFORMS,
  PLAY_STYLES,
  SEXES,
  STATES,
  type ProfileChunk
} from "../domain/profile/index.js"
import { fillRow, PROFILE_COLUMNS } from "../artifacts/profile-table-rows.js"
import { csvLine } from "./csv.js"
import { FdByteWriter, writeAll } from "./fd-writer.js"

/** Rows per Parquet row group unless told otherwise: ~20 MB of profiles, a few MB compressed. */
export const DEFAULT_PROFILE_ROW_GROUP = 100_000

const text = (name: string): SchemaElement => ({ name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" })
const int32 = (name: string): SchemaElement => ({ name, type: "INT32", repetition_type: "REQUIRED" })
const bool = (name: string): SchemaElement => ({ name, type: "BOOLEAN", repetition_type: "REQUIRED" })
const textList = (name: string): Array<SchemaElement> => [
  { name, repetition_type: "REQUIRED", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  { name: "element", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" }
]

/** The Parquet schema: the SQLite table's columns, in its order, typed. */
export const PROFILE_PARQUET_SCHEMA: ReadonlyArray<SchemaElement> = [
  { name: "schema", num_children: PROFILE_COLUMNS.length },
  { name: "id", type: "INT64", repetition_type: "REQUIRED" },
  text("name"),
  int32("age"),
  text("city"),
  text("state"),
  text("sex"),
  ...textList("music_genres"),
  ...textList("games"),
  ...textList("platforms"),
  ...textList("play_styles"),
  text("availability"),
  text("interaction"),
  bool("shares_contact"),
  text("description"),
  int32("years_of_experience"),
  text("main_goal"),
  bool("uses_microphone"),
  ...textList("languages"),
  text("competitive_level"),
  text("communication_style")
]

/** Lists of single-word masks, cached by (mask, primary): few distinct values, many rows. */
const listCache = (vocabulary: ReadonlyArray<string>) => {
  const cache = new Map<number, ReadonlyArray<string>>()
  return (mask: number, primary: number): ReadonlyArray<string> => {
    const key = mask * 128 + primary
    let items = cache.get(key)
    if (items === undefined) {
      items = maskItems(vocabulary, Uint32Array.of(mask), 0, 1, primary)
      cache.set(key, items)
    }
    return items
  }
}
const musicList = listCache(MUSIC_GENRES)
const platformList = listCache(PLATFORMS)
const styleList = listCache(PLAY_STYLES)
const languageLists = Array.from({ length: 8 }, (_, mask) => LANGUAGES.filter((_, i) => (mask & (1 << i)) !== 0))

/** Column arrays of the rows gathered for the next row group. */
class ProfileColumns {
  readonly id: Array<bigint> = []
  readonly name: Array<string> = []
  readonly age: Array<number> = []
  readonly city: Array<string> = []
  readonly state: Array<string> = []
  readonly sex: Array<string> = []
  readonly music_genres: Array<ReadonlyArray<string>> = []
  readonly games: Array<ReadonlyArray<string>> = []
  readonly platforms: Array<ReadonlyArray<string>> = []
  readonly play_styles: Array<ReadonlyArray<string>> = []
  readonly availability: Array<string> = []
  readonly interaction: Array<string> = []
  readonly shares_contact: Array<boolean> = []
  readonly description: Array<string> = []
  readonly years_of_experience: Array<number> = []
  readonly main_goal: Array<string> = []
  readonly uses_microphone: Array<boolean> = []
  readonly languages: Array<ReadonlyArray<string>> = []
  readonly competitive_level: Array<string> = []
  readonly communication_style: Array<string> = []

  get length(): number {
    return this.id.length
  }

  push(chunk: ProfileChunk): void {
    for (let i = 0; i < chunk.count; i++) {
      const city = chunk.city[i] as number
      this.id.push(BigInt(chunk.firstId + i))
      this.name.push(chunk.name[i] as string)
      this.age.push(chunk.age[i] as number)
      this.city.push(CITIES[city] as string)
      this.state.push(STATES[CITY_STATE[city] as number] as string)
      this.sex.push(SEXES[chunk.sex[i] as number] as string)
      this.music_genres.push(musicList(chunk.musicGenres[i] as number, chunk.primaryMusicGenre[i] as number))
      this.games.push(maskItems(GAMES, chunk.games, i * GAME_WORDS, GAME_WORDS, chunk.primaryGame[i] as number))
      this.platforms.push(platformList(chunk.platforms[i] as number, chunk.primaryPlatform[i] as number))
      this.play_styles.push(styleList(chunk.playStyles[i] as number, chunk.primaryPlayStyle[i] as number))
      this.availability.push(AVAILABILITIES[chunk.availability[i] as number] as string)
      this.interaction.push(INTERACTIONS[chunk.interaction[i] as number] as string)
      this.shares_contact.push(chunk.sharesContact[i] === 1)
      this.description.push(chunk.description[i] as string)
      this.years_of_experience.push(chunk.yearsOfExperience[i] as number)
      this.main_goal.push(MAIN_GOALS[chunk.mainGoal[i] as number] as string)
      this.uses_microphone.push(chunk.usesMicrophone[i] === 1)
      this.languages.push(languageLists[chunk.languages[i] as number] as ReadonlyArray<string>)
      this.competitive_level.push(COMPETITIVE_LEVELS[chunk.competitiveLevel[i] as number] as string)
      this.communication_style.push(COMMUNICATION_STYLES[chunk.communicationStyle[i] as number] as string)
    }
  }

  columnData() {
    return PROFILE_COLUMNS.map((name) => {
      const data = this[name]
      return { name, data: name === "id" ? BigInt64Array.from(data as Array<bigint>) : (data as Array<unknown>) }
    })
  }
}

/** A profile table's rows as a Parquet file (snappy pages, dictionaries where they pay), chunk by chunk. */
export class ProfileParquetWriter {
  private readonly writer: ParquetWriter
  private pending = new ProfileColumns()

  constructor(
    fd: number,
    private readonly rowGroupRows: number = DEFAULT_PROFILE_ROW_GROUP
  ) {
    this.writer = new ParquetWriter({
      writer: new FdByteWriter(fd),
      schema: [...PROFILE_PARQUET_SCHEMA],
      codec: "SNAPPY",
      createdBy: "effect-pipelines"
    })
  }

  /** Adds a chunk's rows (chunks in id order); writes a row group whenever enough rows are gathered. */
  write(chunk: ProfileChunk): void {
    this.pending.push(chunk)
    if (this.pending.length >= this.rowGroupRows) this.flushGroup()
  }

  private flushGroup(): void {
    if (this.pending.length === 0) return
    // The writer's `data` types want mutable arrays of its value types; ours are exactly those.
    void this.writer.write({ columnData: this.pending.columnData() as never, rowGroupSize: this.pending.length })
    this.pending = new ProfileColumns()
  }

  finish(): void {
    this.flushGroup()
    void this.writer.finish()
  }
}

/** A profile table as CSV: a header line, then each row as the SQLite table holds it. */
export class ProfileCsvWriter {
  private readonly row = new Array<unknown>(PROFILE_COLUMNS.length)

  constructor(private readonly fd: number) {
    writeAll(fd, Buffer.from(`${csvLine(PROFILE_COLUMNS)}\n`))
  }

  write(chunk: ProfileChunk): void {
    let out = ""
    for (let i = 0; i < chunk.count; i++) {
      fillRow(chunk, i, this.row, 0)
      out += `${csvLine(this.row)}\n`
      if (out.length > 1 << 20) {
        writeAll(this.fd, Buffer.from(out))
        out = ""
      }
    }
    writeAll(this.fd, Buffer.from(out))
  }

  finish(): void {}
}
