/**
 * The dashboard in a real browser: playwright-core driving Debian's chromium (installed by
 * scripts/setup.sh; nothing is downloaded) against a real `pipeline serve` child process. A
 * screenshot of the page is saved under test-output/.
 */
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { type Browser, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeServedRun, root, type RunningServer, SCRIPT_NAME, SCRIPT_PROFILE_ID, startServer, waitUntilLoaded } from "./served-run.js"

const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium"
const OUTPUT = join(root, "test-output", "dashboard")

let server: RunningServer
let browser: Browser

beforeAll(async () => {
  const run = makeServedRun(3000)
  server = await startServer(run.args)
  expect((await waitUntilLoaded(server.url)).status).toBe("ready")
  // The flags keep Chromium off the network this machine does not have (see the env notes).
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
  })
  mkdirSync(OUTPUT, { recursive: true })
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

/** A fresh page (own storage) that fails the test on any script error or console error. */
const newPage = async (): Promise<{ page: Page; errors: Array<string> }> => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
  const page = await context.newPage()
  const errors: Array<string> = []
  page.on("pageerror", (e) => errors.push(e.message))
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text())
  })
  page.on("dialog", (d) => {
    errors.push(`unexpected dialog: ${d.message()}`)
    void d.dismiss()
  })
  return { page, errors }
}

const originId = async (page: Page): Promise<string> => {
  const text = await page.locator("#originName").innerText()
  return /\(ID: (\d+)\)/.exec(text)![1]!
}

describe("dashboard in Chromium", () => {
  it("shows an origin and its match cards, and a screenshot is saved", async () => {
    const { page, errors } = await newPage()
    await page.goto(`${server.url}/profiles/1`)
    await expect(page.locator("#mainContentArea").isVisible()).resolves.toBe(true)
    expect(await page.locator("#loadingMessage").isVisible()).toBe(false)
    expect(await originId(page)).toBe("1")
    for (const id of ["originIdade", "originLocal", "originSexo", "originDisp", "originInteracao", "originContato", "originDesc"]) {
      expect((await page.locator(`#${id}`).innerText()).trim(), id).not.toBe("")
    }
    expect(await page.locator("#originPlatforms .badge").count()).toBeGreaterThan(0)
    const cards = page.locator("#similarProfilesGrid .match-card")
    const n = await cards.count()
    expect(n).toBeGreaterThan(0)
    expect(await page.locator("#similarProfilesTitle").innerText()).toBe(`Top ${n} Perfis Similares (Prioridade: Plataforma/Horário)`)
    const scores = (await page.locator(".final-score-value").allInnerTexts()).map(Number)
    expect(scores.every((s) => s > 0 && s <= 1)).toBe(true)
    expect([...scores].sort((a, b) => b - a)).toEqual(scores)
    await page.waitForTimeout(1500) // let the cards' fade-in finish before the picture
    await page.screenshot({ path: join(OUTPUT, "dashboard.png"), fullPage: true })
    expect(errors).toEqual([])
  })

  it("switches themes, and the choice survives a reload", async () => {
    const { page, errors } = await newPage()
    await page.goto(`${server.url}/profiles/2`)
    expect(await page.locator("html").getAttribute("data-theme")).toBe("red")
    const background = () => page.evaluate<string>("getComputedStyle(document.body).backgroundImage")
    const red = await background()
    await page.selectOption("#themeSelector", "white")
    expect(await page.locator("html").getAttribute("data-theme")).toBe("white")
    const white = await background()
    expect(white).not.toBe(red)
    await page.reload()
    expect(await page.locator("html").getAttribute("data-theme")).toBe("white")
    expect(await page.locator("#themeSelector").inputValue()).toBe("white")
    expect(await background()).toBe(white)
    await page.screenshot({ path: join(OUTPUT, "dashboard-white.png") })
    expect(errors).toEqual([])
  })

  it("expands a card's weighted breakdown: real weights summing to 1, contributions adding up to the score", async () => {
    const { page, errors } = await newPage()
    await page.goto(`${server.url}/profiles/3`)
    const card = page.locator("#similarProfilesGrid .match-card").first()
    const breakdown = card.locator("details.breakdown")
    expect(await breakdown.locator("table").isVisible()).toBe(false)
    await breakdown.locator("summary").click()
    expect(await breakdown.locator("table").isVisible()).toBe(true)
    const weightCells = breakdown.locator("td.weight")
    const weights: Array<number> = []
    for (let i = 0; i < (await weightCells.count()); i++) weights.push(Number(await weightCells.nth(i).getAttribute("data-weight")))
    expect(weights).toHaveLength(5)
    expect(weights.some((w) => w === 0)).toBe(false) // the seed printed "Peso: 0.00" everywhere
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9)
    const contributions = (await breakdown.locator("td.contribution").allInnerTexts()).map((t) => Number(t.replace("=", "")))
    const total = Number(await breakdown.locator(".total-score").innerText())
    expect(contributions.reduce((a, b) => a + b, 0)).toBeCloseTo(total, 2)
    expect(Number(await card.locator(".final-score-value").innerText())).toBe(total)
    expect(errors).toEqual([])
  })

  it("'Gerar Novo Match' shows another origin", async () => {
    const { page, errors } = await newPage()
    await page.goto(`${server.url}/`)
    const first = await originId(page)
    // A random origin out of 3,000 may repeat; a few tries make a false failure negligible.
    let other = first
    for (let i = 0; i < 5 && other === first; i++) {
      await Promise.all([page.waitForURL(/\/\?t=/), page.click("#retestBtn")])
      other = await originId(page)
    }
    expect(other).not.toBe(first)
    expect(errors).toEqual([])
  })

  it("renders a profile named <script> as text, and finds it by name", async () => {
    const { page, errors } = await newPage()
    await page.goto(`${server.url}/profiles/${SCRIPT_PROFILE_ID}`)
    expect(await page.locator("#originName").innerText()).toBe(`${SCRIPT_NAME} (ID: ${SCRIPT_PROFILE_ID})`)
    expect(await page.locator("#originName script").count()).toBe(0)
    await page.fill("#searchInput", "script>")
    const hit = page.locator("#searchResults a").first()
    await hit.waitFor()
    expect(await hit.innerText()).toBe(`${SCRIPT_NAME} (ID: ${SCRIPT_PROFILE_ID})`)
    await Promise.all([page.waitForURL(`**/profiles/${SCRIPT_PROFILE_ID}`), hit.click()])
    expect(errors).toEqual([]) // no alert dialog, no script error
  })

  it("shows the empty state when no candidate passes the gates", async () => {
    const { page, errors } = await newPage()
    // With one candidate, the index returns the origin itself (skipped): nothing is left to pass.
    let id = 1
    while (id < 50 && ((await (await fetch(`${server.url}/api/match/${id}?candidates=1`)).json()) as { matches: Array<unknown> }).matches.length > 0) id++
    await page.goto(`${server.url}/profiles/${id}?candidates=1`)
    expect(await page.locator("#mainContentArea").isVisible()).toBe(true)
    expect(await page.locator("#similarProfilesGrid .match-card").count()).toBe(0)
    expect(await page.locator("#noSimilarProfilesMessage").isVisible()).toBe(true)
    expect(await page.locator("#noSimilarProfilesMessage").innerText()).toContain("Nenhum perfil similar encontrado")
    expect(await page.locator("#similarProfilesTitle").isVisible()).toBe(false)
    expect(errors).toEqual([])
  })
})
