import { fakerPT_BR, fakerPT_PT } from "@faker-js/faker"
import { describe, expect, it } from "vitest"
import { FIRST_NAMES_BY_SEX, LAST_NAMES } from "../../../src/domain/profile/index.js"
import seedLists from "../../../src/domain/profile/seed-lists.json" with { type: "json" }

describe("name lists", () => {
  it("are the snapshot of the seed's lists united with the installed Faker's pt_BR (and pt_PT surnames)", () => {
    // If Faker changes its lists this fails: regenerate names-pt_BR.json on purpose, since it changes data.
    const person = fakerPT_BR.definitions.person!
    const first = person.first_name as { male: string[]; female: string[] }
    const union = (...ls: ReadonlyArray<ReadonlyArray<string>>) => [...new Set(ls.flat())]
    expect(FIRST_NAMES_BY_SEX[0]).toEqual(union(seedLists.NOMES_MASCULINOS, first.male))
    expect(FIRST_NAMES_BY_SEX[1]).toEqual(union(seedLists.NOMES_FEMININOS, first.female))
    expect(FIRST_NAMES_BY_SEX[2]).toEqual(seedLists.NOMES_NAO_BINARIOS)
    const last = (person.last_name as { generic: string[] }).generic
    const lastPt = (fakerPT_PT.definitions.person!.last_name as { generic: string[] }).generic
    for (const name of union(last, lastPt)) expect(LAST_NAMES).toContain(name)
  })

  it("hold no duplicates and no name shared between the sex-specific lists", () => {
    const all = [...FIRST_NAMES_BY_SEX[0]!, ...FIRST_NAMES_BY_SEX[1]!, ...FIRST_NAMES_BY_SEX[2]!]
    expect(new Set(all).size).toBe(all.length)
    expect(new Set(LAST_NAMES).size).toBe(LAST_NAMES.length)
    expect(FIRST_NAMES_BY_SEX[3]).toEqual(all)
  })
})
